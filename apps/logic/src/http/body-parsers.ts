import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendError } from './http-errors.filter';

/**
 * goim's push paths take the raw message as the body, whatever its content type; imgate's own
 * API takes JSON. Parser failures (too large, bad JSON) answer in the same error shapes.
 */
export function installBodyParsers(app: INestApplication, maxBytes: number): void {
  app.use('/goim', express.raw({ type: () => true, limit: maxBytes }));
  app.use('/v1', express.json({ limit: maxBytes * 2 + 64 * 1024, strict: true }));
  app.use((err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction) => {
    if (err.type === 'entity.too.large') return sendError(req, res, 413, `body is larger than the limit of ${maxBytes} bytes`);
    if (err.type === 'entity.parse.failed') return sendError(req, res, 400, `body is not valid JSON: ${err.message}`);
    if (typeof err.status === 'number' && err.status < 500) return sendError(req, res, err.status, err.message);
    next(err);
  });
}
