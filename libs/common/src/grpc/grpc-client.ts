import * as grpc from '@grpc/grpc-js';
import { GRPC_MAX_MESSAGE } from './grpc-server';

export const GRPC_CLIENT_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': GRPC_MAX_MESSAGE,
  'grpc.keepalive_time_ms': 30_000,
  // Reconnect quickly when a peer restarts; the default backoff reaches minutes.
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

/** Calls a generated unary method as a promise with a deadline (and metadata, e.g. `authorization`). */
export function callUnary<Req, Res>(method: UnaryMethod<Req, Res>, self: grpc.Client, req: Req, timeoutMs: number, metadata = new grpc.Metadata()): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    method.call(self, req, metadata, { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(err);
      else if (res === undefined) reject(new Error('empty gRPC response'));
      else resolve(res);
    });
  });
}

export function isServiceError(err: unknown): err is grpc.ServiceError {
  return err instanceof Error && typeof (err as Partial<grpc.ServiceError>).code === 'number' && 'metadata' in err;
}
