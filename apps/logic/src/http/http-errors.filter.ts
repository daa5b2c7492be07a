import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { GrpcStatus, isDependencyError, LOGGER, type Logger, RpcError } from '@imgate/common';
import type { Request, Response } from 'express';

const HTTP_OF: Partial<Record<GrpcStatus, number>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.UNAUTHENTICATED]: 401,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.UNAVAILABLE]: 503,
};

/** goim's answer shape on /goim paths, imgate's own `{error:{code,message}}` elsewhere. */
export function sendError(req: Request, res: Response, status: number, message: string): void {
  if (req.path.startsWith('/goim/')) {
    res.status(status).json({ code: status < 500 ? -400 : -500, message });
    return;
  }
  const code = status === 400 ? 'bad_request' : status === 401 ? 'unauthenticated' : status === 404 ? 'not_found' : status === 413 ? 'too_large' : status === 503 ? 'unavailable' : 'internal';
  res.status(status).json({ error: { code, message } });
}

@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (err instanceof RpcError) return sendError(req, res, HTTP_OF[err.code] ?? 500, err.message);
    if (err instanceof HttpException) return sendError(req, res, err.getStatus(), err.message);
    if (isDependencyError(err)) {
      this.logger.warn({ err: (err as Error).message, path: req.path }, 'HTTP request failed: a dependency is unavailable');
      return sendError(req, res, 503, `unavailable: ${(err as Error).message}`);
    }
    this.logger.error({ err, path: req.path }, 'HTTP handler failed');
    sendError(req, res, 500, 'internal error');
  }
}
