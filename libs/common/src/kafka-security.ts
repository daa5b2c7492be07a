import { ConfigError, type Env } from './env';
import { optionalPemSetting, secretSetting, type TlsFiles } from './file-settings';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** TLS towards the brokers: the CA their certificates chain to (system CAs when absent), and an optional client certificate. */
export type KafkaTls = TlsFiles;

export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

/** How the Kafka clients of logic, job and the chat sample reach the brokers (docs/security.md, "Redis and Kafka"). */
export interface KafkaSecurity {
  tls?: KafkaTls;
  sasl?: KafkaSasl;
}

/**
 * KAFKA_SSL, KAFKA_SSL_CA/CERT/KEY, KAFKA_SASL_MECHANISM/USERNAME/PASSWORD(_FILE), checked
 * together: a half-made setting (a CA with TLS off, a user without a mechanism, PLAIN in clear)
 * is refused with the reason, since the client would otherwise silently run less safe than asked.
 */
export function loadKafkaSecurity(env: Env): KafkaSecurity {
  const ssl = env.bool('KAFKA_SSL', false);
  const files = ['KAFKA_SSL_CA', 'KAFKA_SSL_CERT', 'KAFKA_SSL_KEY'].filter((n) => env.optional(n) !== undefined);
  if (!ssl && files.length) throw new ConfigError(files[0], 'is set but KAFKA_SSL is off; set KAFKA_SSL=1 (without it the brokers are reached in clear)');
  if ((env.optional('KAFKA_SSL_CERT') === undefined) !== (env.optional('KAFKA_SSL_KEY') === undefined)) {
    const missing = env.optional('KAFKA_SSL_CERT') === undefined ? 'KAFKA_SSL_CERT' : 'KAFKA_SSL_KEY';
    throw new ConfigError(missing, 'must be set too: KAFKA_SSL_CERT and KAFKA_SSL_KEY (a client certificate) go together');
  }
  const tls: KafkaTls | undefined = ssl
    ? {
        ca: optionalPemSetting(env, 'KAFKA_SSL_CA', 'certificate'),
        cert: optionalPemSetting(env, 'KAFKA_SSL_CERT', 'certificate'),
        key: optionalPemSetting(env, 'KAFKA_SSL_KEY', 'key'),
      }
    : undefined;
  return { tls, sasl: loadSasl(env, ssl) };
}

function loadSasl(env: Env, ssl: boolean): KafkaSasl | undefined {
  const username = env.optional('KAFKA_SASL_USERNAME');
  const password = secretSetting(env, 'KAFKA_SASL_PASSWORD');
  if (env.optional('KAFKA_SASL_MECHANISM') === undefined) {
    if (username !== undefined || password !== undefined) {
      throw new ConfigError('KAFKA_SASL_MECHANISM', `must be set (${KAFKA_SASL_MECHANISMS.join(', ')}) when a SASL username or password is given`);
    }
    return undefined;
  }
  const mechanism = env.oneOf('KAFKA_SASL_MECHANISM', KAFKA_SASL_MECHANISMS, 'plain');
  if (username === undefined) throw new ConfigError('KAFKA_SASL_USERNAME', `must be set with KAFKA_SASL_MECHANISM=${mechanism}`);
  if (password === undefined) throw new ConfigError('KAFKA_SASL_PASSWORD', `(or KAFKA_SASL_PASSWORD_FILE) must be set with KAFKA_SASL_MECHANISM=${mechanism}`);
  // PLAIN hands the broker the password itself; without TLS anyone on the path reads it. SCRAM never sends it.
  if (mechanism === 'plain' && !ssl) throw new ConfigError('KAFKA_SASL_MECHANISM', 'plain sends the password in clear: set KAFKA_SSL=1, or use scram-sha-256 / scram-sha-512');
  return { mechanism, username, password };
}
