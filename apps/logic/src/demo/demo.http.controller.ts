import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createReadStream, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

/** Where scripts/build-demo.mjs puts the demo chat and the SDK's browser build: dist/demo. */
export const DEMO_DIR = resolve(__dirname, '../../../../demo');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/**
 * The file a request names inside root, or undefined: no dot segments or hidden files, no
 * separators smuggled inside a segment, nothing outside root, and only the types the demo has.
 */
export function demoFile(root: string, segments: readonly string[]): { path: string; type: string } | undefined {
  const parts = segments.filter((s) => s !== '');
  if (parts.length === 0 || parts.some((s) => s.startsWith('.') || /[\\/\0:]/.test(s))) return undefined;
  const path = resolve(root, ...parts);
  const type = TYPES[extname(path)];
  return path.startsWith(root + sep) && type ? { path, type } : undefined;
}

/** The demo web chat at /demo/: static files streamed from the built demo folder. */
@Controller('demo')
export class DemoController {
  @Get()
  index(@Req() req: Request, @Res() res: Response): void {
    // The page's relative URLs (app.js, sdk/…) resolve against /demo/, not /.
    if (!req.path.endsWith('/')) return res.redirect(301, `${req.path}/`);
    send(res, ['index.html']);
  }

  @Get('*path')
  file(@Param('path') path: string | string[], @Res() res: Response): void {
    send(res, Array.isArray(path) ? path : path.split('/'));
  }
}

function send(res: Response, segments: readonly string[]): void {
  const file = demoFile(DEMO_DIR, segments);
  let size = -1;
  try {
    if (file) size = statSync(file.path).isFile() ? statSync(file.path).size : -1;
  } catch {
    size = -1;
  }
  if (!file || size < 0) throw new NotFoundException(`no such demo file: /demo/${segments.join('/')}`);
  res.status(200).set({ 'Content-Type': file.type, 'Content-Length': String(size), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res);
}
