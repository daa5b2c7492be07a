import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../logging/logger';
import { RpcError } from './rpc-error';

type Handler<Req, Res> = (req: Req) => Promise<Res>;

/** Adapts an async handler to grpc-js: thrown RpcErrors keep their status, anything else is INTERNAL. */
export function unary<Req, Res>(logger: Logger, name: string, fn: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    // Wrapped so a synchronous throw (e.g. a validation check) is mapped like a rejection.
    new Promise<Res>((resolve) => resolve(fn(call.request))).then(
      (res) => callback(null, res),
      (err: unknown) => {
        if (err instanceof RpcError) {
          callback({ code: err.code, details: err.message });
          return;
        }
        logger.error({ err, method: name }, 'gRPC handler failed');
        callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) });
      },
    );
  };
}

export const GRPC_MAX_MESSAGE = 8 * 1024 * 1024;

/** One gRPC server per role, bound during module init and drained on shutdown. */
export class GrpcServer {
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': GRPC_MAX_MESSAGE,
    'grpc.keepalive_time_ms': 30_000,
  });
  private boundPort = 0;

  constructor(private readonly logger: Logger) {}

  add(service: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation): void {
    this.server.addService(service, impl);
  }

  async listen(address: string): Promise<number> {
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(new Error(`gRPC cannot listen on ${address}: ${err.message}`)) : resolve(port),
      ),
    );
    this.logger.info({ address, port: this.boundPort }, 'gRPC listening');
    return this.boundPort;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Lets in-flight calls finish for up to graceMs, then cuts the rest. */
  async close(graceMs = 5_000): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
