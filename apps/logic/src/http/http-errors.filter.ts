import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { GrpcStatus, isDependencyError, LOGGER, type Logger, RpcError } from '@imgate/common';
import type { Request, Response } from 'express';

const HTTP_OF: Partial<Record<GrpcStatus, number>> = {
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.UNAUTHENTICATED]: 401,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.UNAVAILABLE]: 503,
};

const CODES: Record<number, string> = { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 413: 'too_large', 503: 'unavailable' };

/**
 * goim's answer shape on /goim paths, imgate's own `{error:{code,message}}` elsewhere; `reason`
 * (a refused API call's machine-readable why) is added to either when given.
 */
export function sendError(req: Request, res: Response, status: number, message: string, reason?: string): void {
  const why = reason ? { reason } : {};
  if (req.path.startsWith('/goim/')) {
    res.status(status).json({ code: status === 401 || status === 403 ? -status : status < 500 ? -400 : -500, message, ...why });
    return;
  }
  res.status(status).json({ error: { code: CODES[status] ?? 'internal', message, ...why } });
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
