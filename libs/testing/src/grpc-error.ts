import type { ServiceError } from '@grpc/grpc-js';

/**
 * The error a gRPC call that should be refused ends with. Throws when the call succeeds, or when it
 * fails with something that is not a gRPC status (a bug in the test, not the refusal it expects).
 */
export async function grpcError(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number') return err as ServiceError;
    throw err;
  }
  throw new Error('call succeeded but should have been refused');
}
