import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError, type Env } from './env';

/** The block a PEM file of each kind must hold. */
export const PEM_MARKERS = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  key: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
} as const;

/** Reads a file; when it cannot be, throws what `fail` makes of the reason ("cannot be read (ENOENT: path)"). */
export function readFileOr(path: string, fail: (reason: string) => Error): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}: ${path})`);
  }
}

/**
 * The PEM file a setting names (a path), read once at boot: a missing file or one without the
 * expected PEM block fails the boot naming the variable, not the first TLS handshake.
 */
export function pemSetting(env: Env, name: string, kind: keyof typeof PEM_MARKERS): Buffer {
  const path = env.optional(name) ?? '';
  const data = readFileOr(path, (reason) => new ConfigError(name, reason));
  const marker = PEM_MARKERS[kind];
  if (!marker.test(data.toString('latin1'))) throw new ConfigError(name, `must be a PEM file (${path} has no ${marker.source})`);
  return data;
}

/** `pemSetting` when the variable is set, undefined otherwise. */
export function optionalPemSetting(env: Env, name: string, kind: keyof typeof PEM_MARKERS): Buffer | undefined {
  return env.optional(name) === undefined ? undefined : pemSetting(env, name, kind);
}

/**
 * A secret given as `NAME` or as `NAME_FILE` (a path, e.g. a mounted Kubernetes or Docker
 * secret, so the value never sits in the environment). Both at once is refused; one trailing
 * newline in the file is dropped (`echo` and most editors add one).
 */
export function secretSetting(env: Env, name: string): string | undefined {
  const inline = env.optional(name);
  const file = env.optional(`${name}_FILE`);
  if (inline !== undefined && file !== undefined) throw new ConfigError(name, `and ${name}_FILE are both set; use one`);
  if (file === undefined) return inline;
  const text = readFileOr(file, (reason) => new ConfigError(`${name}_FILE`, reason))
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (text === '') throw new ConfigError(`${name}_FILE`, `names an empty file (${file})`);
  return text;
}

/** TLS material read from PEM settings: the CA to verify the server with, an optional client certificate. */
export interface TlsFiles {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

/** Node's TLS options for dialling with `files` (no CA: the system CAs; verification always on). */
export function tlsConnectOptions(files: TlsFiles | undefined): ConnectionOptions {
  return { ...(files?.ca ? { ca: [files.ca] } : {}), ...(files?.cert && files.key ? { cert: files.cert, key: files.key } : {}) };
}
