import { status } from '@grpc/grpc-js';

/** An error that crosses gRPC with a chosen status code and a reason for the caller. */
export class RpcError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }

  static invalid(message: string): RpcError {
    return new RpcError(status.INVALID_ARGUMENT, message);
  }
  static unauthenticated(message: string): RpcError {
    return new RpcError(status.UNAUTHENTICATED, message);
  }
  static permissionDenied(message: string): RpcError {
    return new RpcError(status.PERMISSION_DENIED, message);
  }
  static unavailable(message: string): RpcError {
    return new RpcError(status.UNAVAILABLE, message);
  }
}

export { status as GrpcStatus };
