import { ChannelCredentials, type ChannelOptions, ServerCredentials } from '@grpc/grpc-js';
import { ConfigError, type Env } from '../env';
import { pemSetting } from '../file-settings';

/** A role's gRPC TLS material (PEM), from `<ROLE>_GRPC_TLS_CERT/KEY/CA`. */
export interface GrpcTls {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
  /** The name this role expects in the certificates of the servers it dials (default: the address's host). */
  serverName?: string;
}

/** `<prefix>_GRPC_TLS_CERT`, `_KEY` and `_CA` (file paths): all three, or none for plaintext gRPC. */
export function loadGrpcTls(env: Env, prefix: string): GrpcTls | undefined {
  const names = ['CERT', 'KEY', 'CA'].map((n) => `${prefix}_GRPC_TLS_${n}`);
  const set = names.filter((n) => env.optional(n) !== undefined);
  if (set.length === 0) return undefined;
  if (set.length < 3) throw new ConfigError(names.find((n) => !set.includes(n)) ?? names[0], `must be set too: ${names.join(', ')} go together (mTLS between roles)`);
  return {
    cert: pemSetting(env, names[0], 'certificate'),
    key: pemSetting(env, names[1], 'key'),
    ca: pemSetting(env, names[2], 'certificate'),
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
