import type { KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { ASYMMETRIC_ALGS, type JwksSettings, type JwtConfig, type JwtKey } from './jwt.config';

/** The token is refused: the client must not retry with it (auth_failed). */
export class TokenRefused extends Error {}

/** The token could not be checked now (the JWKS is unreachable): the client retries (unavailable). */
export class TokenCheckUnavailable extends Error {}

type Selected = { key: KeyObject; algs: string[] } | { jwks: JWTVerifyGetKey };

/**
 * Verifies client JWTs: picks the key by the token's `kid` (LOGIC_JWT_KEYS, else the JWKS), or by
 * its algorithm among the kid-less keys (LOGIC_JWT_SECRET, LOGIC_JWT_PUBLIC_KEY); then insists on
 * `exp`, and on `iat` within LOGIC_JWT_MAX_AGE_SEC when that is set.
 */
export class TokenVerifier {
  private readonly byKid = new Map<string, JwtKey>();
  private readonly plain: JwtKey[];
  private readonly jwks?: JWTVerifyGetKey;

  constructor(
    private readonly config: JwtConfig,
    private readonly nowSec: () => number = () => Date.now() / 1000,
  ) {
    for (const k of config.keys) if (k.kid !== undefined) this.byKid.set(k.kid, k);
    this.plain = config.keys.filter((k) => k.kid === undefined);
    if (config.jwks) this.jwks = remoteKeys(config.jwks);
  }

  async verify(token: string): Promise<JWTPayload> {
    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new TokenRefused('token is not a JWT');
    }
    const alg = typeof header.alg === 'string' ? header.alg : '';
    const selected = this.select(alg, header.kid);
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.issuer, audience: this.config.audience, clockTolerance: this.config.clockSkewSec, currentDate: new Date(this.nowSec() * 1000) };
      ({ payload } =
        'jwks' in selected
          ? await jwtVerify(token, selected.jwks, { ...options, algorithms: ASYMMETRIC_ALGS })
          : await jwtVerify(token, selected.key, { ...options, algorithms: selected.algs }));
    } catch (err) {
      if (err instanceof TokenRefused || err instanceof TokenCheckUnavailable) throw err;
      if (err instanceof joseErrors.JWTExpired) throw new TokenRefused('token expired');
      if (err instanceof joseErrors.JOSEError) throw new TokenRefused(`token rejected: ${err.message}`);
      throw err;
    }
    this.checkTimes(payload);
    return payload;
  }

  private select(alg: string, kid: string | undefined): Selected {
    if (kid !== undefined) {
      const k = this.byKid.get(kid);
      if (k) {
        if (!k.algs.includes(alg)) throw new TokenRefused(`token algorithm ${alg} does not fit key "${kid}" (${k.algs.join(', ')})`);
        return k;
      }
      // The JWKS holds public keys only: an HMAC token with an unknown kid is not worth a fetch.
      if (this.jwks && ASYMMETRIC_ALGS.includes(alg)) return { jwks: this.jwks };
      // Without kid-selected keys a kid means nothing here: single-key issuers often set one anyway.
      if (this.byKid.size > 0) throw new TokenRefused(`token key id "${kid}" is not one of LOGIC_JWT_KEYS (${[...this.byKid.keys()].join(', ')})`);
    }
    const k = this.plain.find((p) => p.algs.includes(alg));
    if (k) return k;
    if (this.jwks && ASYMMETRIC_ALGS.includes(alg)) return { jwks: this.jwks };
    if (kid === undefined && this.byKid.size > 0 && this.plain.length === 0) throw new TokenRefused('token has no "kid" header (LOGIC_JWT_KEYS picks the key by kid)');
    const accepted = [...new Set([...this.plain.flatMap((p) => p.algs), ...(this.jwks ? ['JWKS'] : [])])];
    throw new TokenRefused(`token algorithm ${alg || '(none)'} is not accepted (accepted: ${accepted.join(', ') || 'none'})`);
  }

  private checkTimes(payload: JWTPayload): void {
    const { maxAgeSec, clockSkewSec } = this.config;
    // A token without exp would be good forever: one leak is a permanent login.
    if (typeof payload.exp !== 'number') throw new TokenRefused('token has no exp');
    const now = this.nowSec();
    if (typeof payload.iat === 'number' && payload.iat > now + clockSkewSec) throw new TokenRefused('token is issued in the future (iat)');
    if (maxAgeSec > 0) {
      if (typeof payload.iat !== 'number') throw new TokenRefused('token has no iat (LOGIC_JWT_MAX_AGE_SEC needs it)');
      const age = Math.floor(now - payload.iat);
      if (age > maxAgeSec + clockSkewSec) throw new TokenRefused(`token is too old: issued ${age} s ago, LOGIC_JWT_MAX_AGE_SEC is ${maxAgeSec}`);
    }
  }
}

/** The JWKS through jose's cached fetcher; a fetch that fails is "unavailable", a key it lacks is a refusal. */
function remoteKeys(s: JwksSettings): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(s.url), { cacheMaxAge: s.cacheMaxAgeMs, cooldownDuration: s.cooldownMs, timeoutDuration: s.timeoutMs });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (err) {
      if (err instanceof joseErrors.JWKSNoMatchingKey) throw new TokenRefused(`no key of the JWKS matches the token (kid ${header.kid === undefined ? 'absent' : `"${header.kid}"`}, ${header.alg})`);
      if (err instanceof joseErrors.JWKSMultipleMatchingKeys) throw new TokenRefused('several keys of the JWKS match the token: it needs a "kid" header');
      if (err instanceof joseErrors.JOSENotSupported || err instanceof joseErrors.JOSEAlgNotAllowed) throw new TokenRefused(`token rejected: ${(err as Error).message}`);
      // Timeouts, refused connections, non-200 answers, a set that does not parse: the issuer's side.
      throw new TokenCheckUnavailable(`JWKS ${s.url} could not be fetched (${(err as Error).message})`);
    }
  };
}
