import * as grpc from '@grpc/grpc-js';
import { Histogram, type Registry } from 'prom-client';
import { isDependencyError } from '../dependency';
import type { Logger } from '../logger';
import { RpcError } from './rpc-error';

/** A handler gets the request and the call (metadata, peer certificate) for checks on the caller. */
export type UnaryHandler<Req, Res> = (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>;

type Timer = Histogram<'method' | 'code'>;

/**
 * Adapts an async handler to grpc-js: thrown RpcErrors keep their status, a dependency being away
 * (Redis, Kafka) is UNAVAILABLE (retryable: comets tell clients `unavailable`, not `auth_failed`),
 * anything else is INTERNAL.
 */
export function unary<Req, Res>(logger: Logger, name: string, fn: UnaryHandler<Req, Res>, timer?: Timer): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const end = timer?.startTimer({ method: name });
    // Wrapped so a synchronous throw (e.g. a validation check) is mapped like a rejection.
    new Promise<Res>((resolve) => resolve(fn(call.request, call))).then(
      (res) => {
        end?.({ code: 'OK' });
        callback(null, res);
      },
      (err: unknown) => {
        if (err instanceof RpcError) {
          end?.({ code: grpc.status[err.code] });
          callback({ code: err.code, details: err.message });
          return;
        }
        if (isDependencyError(err)) {
          end?.({ code: 'UNAVAILABLE' });
          logger.warn({ err: (err as Error).message, method: name }, 'gRPC handler failed: a dependency is unavailable');
          callback({ code: grpc.status.UNAVAILABLE, details: `unavailable: ${(err as Error).message}` });
          return;
        }
        end?.({ code: 'INTERNAL' });
        logger.error({ err, method: name }, 'gRPC handler failed');
        callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) });
      },
    );
  };
}

/** `imgate_<role>_grpc_server_seconds{method,code}`: every handler's latency and outcome. */
export function grpcServerTimer(registry: Registry, role: string): Timer {
  return new Histogram({
    name: `imgate_${role}_grpc_server_seconds`,
    help: `gRPC calls served by ${role}, by method and status`,
    labelNames: ['method', 'code'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
}

export const GRPC_MAX_MESSAGE = 8 * 1024 * 1024;

/** One gRPC server per role, bound during module init and drained on shutdown. */
export class GrpcServer {
  private readonly server = new grpc.Server({
    'grpc.max_receive_message_length': GRPC_MAX_MESSAGE,
    'grpc.keepalive_time_ms': 30_000,
  });
  private boundPort = 0;

  /** `credentials`: mTLS from the role's trust settings (serverCredentials), plaintext by default. */
  constructor(
    private readonly logger: Logger,
    private readonly credentials: grpc.ServerCredentials = grpc.ServerCredentials.createInsecure(),
  ) {}

  add(service: grpc.ServiceDefinition, impl: grpc.UntypedServiceImplementation): void {
    this.server.addService(service, impl);
  }

  async listen(address: string): Promise<number> {
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, this.credentials, (err, port) =>
        err ? reject(new Error(`gRPC cannot listen on ${address}: ${err.message}`)) : resolve(port),
      ),
    );
    this.logger.info({ address, port: this.boundPort, tls: this.credentials._isSecure() }, 'gRPC listening');
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
