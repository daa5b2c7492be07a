import { ConfigError, type Env, secretDigest, weakSecretReason } from '@imgate/common';

/**
 * Who may use logic's push/online/admin API (docs/security.md, "Push plane"):
 * - `key`: every call carries one of LOGIC_API_KEYS (the default; logic refuses to boot without keys);
 * - `none`: `LOGIC_API_AUTH=none`, goim's open API for drop-in use (a warning at boot and on /health);
 * - `loopback`: the embedded default without keys: HTTP listens on 127.0.0.1 only and keyless
 *   calls are taken from loopback peers (a browser only from logic's own loopback origin, the demo page).
 */
export type ApiAuthMode = 'key' | 'none' | 'loopback';

export interface ApiAuthConfig {
  mode: ApiAuthMode;
  /** SHA-256 of each accepted key (several at once while keys rotate). */
  keys: Buffer[];
  /** Browser origins that get CORS answers (exact `scheme://host[:port]`); none by default. */
  corsOrigins: string[];
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:.]+\](:\d{1,5})?$/;

/** `keyless`: what logic does with no LOGIC_API_KEYS: refuse to boot (a role) or serve loopback only (embedded). */
export function loadApiAuthConfig(env: Env, keyless: 'refuse' | 'loopback'): ApiAuthConfig {
  const open = env.oneOf('LOGIC_API_AUTH', ['key', 'none'] as const, 'key') === 'none';
  const keys = env.list('LOGIC_API_KEYS', []);
  keys.forEach((k, i) => {
    const weak = weakSecretReason(k);
    if (weak) throw new ConfigError('LOGIC_API_KEYS', `key ${i + 1} of ${keys.length} ${weak}`);
  });
  if (new Set(keys).size !== keys.length) throw new ConfigError('LOGIC_API_KEYS', 'lists the same key twice');
  const corsOrigins = env.list('LOGIC_CORS_ORIGINS', []);
  const badOrigin = corsOrigins.find((o) => !ORIGIN.test(o));
  if (badOrigin !== undefined) throw new ConfigError('LOGIC_CORS_ORIGINS', `must list origins such as https://admin.example.com (got "${badOrigin}")`);
  if (open && keys.length) throw new ConfigError('LOGIC_API_AUTH', 'is none (an open API) while LOGIC_API_KEYS is set: choose one');
  const mode: ApiAuthMode = open ? 'none' : keys.length ? 'key' : keyless === 'loopback' ? 'loopback' : 'key';
  if (mode === 'key' && keys.length === 0) {
    throw new ConfigError('LOGIC_API_KEYS', 'must be set: comma-separated API keys of >= 32 random characters (openssl rand -hex 32), sent as "Authorization: Bearer <key>"; LOGIC_API_AUTH=none opens the push API to anyone who reaches logic (goim drop-in mode)');
  }
  return { mode, keys: keys.map((k) => secretDigest(k)), corsOrigins };
}
