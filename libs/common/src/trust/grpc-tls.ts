import { readFileSync } from 'node:fs';
import { ChannelCredentials, type ChannelOptions, ServerCredentials } from '@grpc/grpc-js';
import { ConfigError, type Env } from '../env';

/** A role's gRPC TLS material (PEM), from `<ROLE>_GRPC_TLS_CERT/KEY/CA`. */
export interface GrpcTls {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
  /** The name this role expects in the certificates of the servers it dials (default: the address's host). */
  serverName?: string;
}

function pem(env: Env, name: string, marker: RegExp): Buffer {
  const path = env.optional(name) ?? '';
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw new ConfigError(name, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}: ${path})`);
  }
  if (!marker.test(data.toString('latin1'))) throw new ConfigError(name, `must be a PEM file (${path} has no ${marker.source})`);
  return data;
}

/** `<prefix>_GRPC_TLS_CERT`, `_KEY` and `_CA` (file paths): all three, or none for plaintext gRPC. */
export function loadGrpcTls(env: Env, prefix: string): GrpcTls | undefined {
  const names = ['CERT', 'KEY', 'CA'].map((n) => `${prefix}_GRPC_TLS_${n}`);
  const set = names.filter((n) => env.optional(n) !== undefined);
  if (set.length === 0) return undefined;
  if (set.length < 3) throw new ConfigError(names.find((n) => !set.includes(n)) ?? names[0], `must be set too: ${names.join(', ')} go together (mTLS between roles)`);
  return {
    cert: pem(env, names[0], /-----BEGIN CERTIFICATE-----/),
    key: pem(env, names[1], /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
    ca: pem(env, names[2], /-----BEGIN CERTIFICATE-----/),
    serverName: env.optional(`${prefix}_GRPC_TLS_SERVER_NAME`),
  };
}

/** mTLS when configured: the server asks every caller for a certificate that chains to the CA. */
export function serverCredentials(tls: GrpcTls | undefined): ServerCredentials {
  return tls ? ServerCredentials.createSsl(tls.ca, [{ cert_chain: tls.cert, private_key: tls.key }], true) : ServerCredentials.createInsecure();
}

/** The client half: this role's own certificate, and the CA the server's certificate must chain to. */
export function channelCredentials(tls: GrpcTls | undefined): { credentials: ChannelCredentials; options: ChannelOptions } {
  if (!tls) return { credentials: ChannelCredentials.createInsecure(), options: {} };
  return {
    credentials: ChannelCredentials.createSsl(tls.ca, tls.key, tls.cert),
    options: tls.serverName ? { 'grpc.ssl_target_name_override': tls.serverName, 'grpc.default_authority': tls.serverName } : {},
  };
}
