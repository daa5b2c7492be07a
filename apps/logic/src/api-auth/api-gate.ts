import { matchesSecret } from '@imgate/common';
import type { ApiAuthConfig } from './api-auth.config';

/**
 * Paths anyone may read: health, metrics, the demo page's files and the client-facing node list.
 * Exact names (no dot segments, nothing encoded); everything else needs the key.
 */
const PUBLIC = /^\/(health(\/(live|ready))?|metrics|demo(\/([A-Za-z0-9_-][A-Za-z0-9_.-]*\/)*([A-Za-z0-9_-][A-Za-z0-9_.-]*)?)?|goim\/nodes\/(weighted|instances)|v1\/nodes)$/;

export function isPublicPath(path: string): boolean {
  return PUBLIC.test(path);
}

export type RefusalReason = 'missing_key' | 'bad_key' | 'browser_origin' | 'cors_preflight' | 'not_loopback';

export interface ApiRequest {
  method: string;
  path: string;
  origin?: string;
  host?: string;
  authorization?: string;
  /** The peer is 127.0.0.0/8 or ::1. */
  loopbackPeer: boolean;
}

export type ApiDecision =
  | { allow: true; cors?: string }
  | { allow: false; preflight: true; origin: string }
  | { allow: false; preflight?: false; status: 401 | 403; reason: RefusalReason; message: string };

/** `Bearer <key>` (case-insensitive scheme) → key, else undefined. */
export function bearer(authorization: string | undefined): string | undefined {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

export function isLoopbackAddress(address: string | undefined): boolean {
  const a = (address ?? '').replace(/^::ffff:/, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a) || a === '::1';
}

/**
 * The demo page's own origin in loopback mode: an `http://` loopback name that is also the Host it
 * was sent to. A page on any other site (or another local port), or a DNS-rebound name, is not.
 */
export function isOwnLoopbackOrigin(origin: string, host: string | undefined): boolean {
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.host === host;
}

const refuse = (status: 401 | 403, reason: RefusalReason, message: string): ApiDecision => ({ allow: false, status, reason, message });

/** Decides one HTTP request to logic's API; the key is compared in constant time. */
export function decideApiRequest(cfg: ApiAuthConfig, req: ApiRequest): ApiDecision {
  const listed = req.origin !== undefined && cfg.corsOrigins.includes(req.origin) ? req.origin : undefined;
  if (isPublicPath(req.path)) return { allow: true, cors: listed };
  if (req.method === 'OPTIONS') {
    if (listed) return { allow: false, preflight: true, origin: listed };
    return refuse(403, 'cors_preflight', 'cross-origin requests are not allowed here (LOGIC_CORS_ORIGINS lists the origins that are)');
  }
  const presented = bearer(req.authorization);
  const valid = cfg.mode === 'key' && presented !== undefined && matchesSecret(cfg.keys, presented);
  if (valid) return { allow: true, cors: listed };
  if (req.origin !== undefined && !listed && !(cfg.mode === 'loopback' && isOwnLoopbackOrigin(req.origin, req.host))) {
    return refuse(403, 'browser_origin', `requests from a web page (Origin ${req.origin.slice(0, 100)}) need an API key and an origin listed in LOGIC_CORS_ORIGINS`);
  }
  if (cfg.mode === 'none') return { allow: true, cors: listed };
  if (cfg.mode === 'loopback') {
    return req.loopbackPeer ? { allow: true, cors: listed } : refuse(403, 'not_loopback', 'logic runs without API keys and takes calls from this host only');
  }
  if (req.authorization === undefined) return refuse(401, 'missing_key', 'an API key is required: Authorization: Bearer <key> (one of LOGIC_API_KEYS)');
  return refuse(401, 'bad_key', presented === undefined ? 'Authorization must be "Bearer <key>"' : 'the API key is not one of LOGIC_API_KEYS');
}
