import { ConfigError, type Env } from '../env';
import { weakSecretReason } from '../secrets';
import { type GrpcTls, loadGrpcTls } from './grpc-tls';

/**
 * How the roles of one cluster know each other on gRPC (docs/security.md, "Trust between roles"):
 * - `tls`: mTLS; a caller is the role (and comet id) in its certificate's URI SAN `imgate://<role>[/<id>]`;
 * - `secret`: plaintext gRPC; a caller proves CLUSTER_SECRET with an HMAC in metadata;
 * - `none`: `CLUSTER_AUTH=none`, goim's open gRPC (logged as a warning at boot).
 */
export interface ClusterTrust {
  mode: 'tls' | 'secret' | 'none';
  tls?: GrpcTls;
  secret?: Buffer;
}

/** `prefix` names the role's TLS variables (LOGIC, COMET, JOB); `defaults.secret` is the embedded default's in-process secret. */
export function loadClusterTrust(env: Env, prefix: string, defaults: { secret?: string } = {}): ClusterTrust {
  const tls = loadGrpcTls(env, prefix);
  const given = env.optional('CLUSTER_SECRET');
  if (given !== undefined) {
    const weak = weakSecretReason(given);
    if (weak) throw new ConfigError('CLUSTER_SECRET', weak);
  }
  const secretText = given ?? defaults.secret;
  const secret = secretText === undefined ? undefined : Buffer.from(secretText);
  const open = env.oneOf('CLUSTER_AUTH', ['on', 'none'] as const, 'on') === 'none';
  if (tls) return { mode: 'tls', tls, secret };
  if (secret) return { mode: 'secret', secret };
  if (open) return { mode: 'none' };
  throw new ConfigError(
    'CLUSTER_SECRET',
    `must be set (the same random value, >= 32 characters, in every role: openssl rand -hex 32), or ${prefix}_GRPC_TLS_CERT/KEY/CA for mTLS between roles, or CLUSTER_AUTH=none to let anyone who reaches gRPC act as a cluster member`,
  );
}
