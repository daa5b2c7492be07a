import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Counter } from 'prom-client';
import { sendError } from '../http/http-errors.filter';
import type { ApiAuthConfig } from './api-auth.config';
import { decideApiRequest, isLoopbackAddress } from './api-gate';

function corsHeaders(res: Response, origin: string): void {
  res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
}

/** Runs before body parsing and routing: a refused request is answered without reading its body. */
export function apiAuthMiddleware(cfg: ApiAuthConfig, refused: Counter<'transport' | 'reason'>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const d = decideApiRequest(cfg, {
      method: req.method,
      path: req.path,
      origin: req.get('origin'),
      host: req.get('host'),
      authorization: req.get('authorization'),
      loopbackPeer: isLoopbackAddress(req.socket.remoteAddress),
    });
    if (d.allow) {
      if (d.cors) corsHeaders(res, d.cors);
      return next();
    }
    if (d.preflight) {
      corsHeaders(res, d.origin);
      res.set({
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key',
        'Access-Control-Max-Age': '600',
      });
      res.status(204).end();
      return;
    }
    refused.inc({ transport: 'http', reason: d.reason });
    if (d.status === 401) res.set('WWW-Authenticate', 'Bearer realm="imgate"');
    // The body is not read: the connection closes after the answer instead of draining it.
    res.set('Connection', 'close');
    sendError(req, res, d.status, d.message, d.reason);
  };
}
