import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger, RpcError } from '@imgate/common';
import { createPublicKey, createSecretKey, type KeyObject, randomUUID } from 'node:crypto';
import { errors as joseErrors, type JWTPayload, jwtVerify } from 'jose';
import { LOGIC_CONFIG } from '../logic.tokens';
import type { LogicConfig } from '../logic.config';
import { AuthBodyError, DEVICE, parseAuthBody } from './auth-body';

export interface Identity {
  mid: number;
  key: string;
  roomId: string;
  platform: string;
  accepts: number[];
  /** Opted in to reliable delivery. */
  delivery: boolean;
  /** The auth body's device, else the token's `device` claim, else the platform, else "default". */
  device: string;
  /** Claims access control reads (absent with dev auth): permissions, and what revocation matches. */
  token?: TokenFacts;
  /** The auth body's resume token: verified by the session store, not here. */
  resume?: string;
}

export interface TokenFacts {
  jti?: string;
  /** Issued at, Unix seconds (0 when the token has none). */
  iat: number;
  /** Expires at, Unix seconds (0 for none). */
  exp: number;
  rooms?: unknown;
  ops?: unknown;
}

/** Turns a client's op-7 body into a verified identity, or rejects it with a reason. */
@Injectable()
export class AuthService {
  private readonly keys: Array<{ alg: 'HS256' | 'RS256'; key: KeyObject }> = [];

  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    const { auth } = config;
    if (auth.jwtSecret) this.keys.push({ alg: 'HS256', key: createSecretKey(Buffer.from(auth.jwtSecret)) });
    if (auth.jwtPublicKey) this.keys.push({ alg: 'RS256', key: createPublicKey(auth.jwtPublicKey) });
    if (auth.mode === 'dev') {
      logger.warn(
        '!!! LOGIC_AUTH_MODE=dev: clients are trusted to name their own user id (mid), as goim\'s demo does. ' +
          'Never run this in production: set LOGIC_AUTH_MODE=jwt with LOGIC_JWT_SECRET or LOGIC_JWT_PUBLIC_KEY. !!!',
      );
    }
  }

  async authenticate(body: Uint8Array): Promise<Identity> {
    let parsed;
    try {
      parsed = parseAuthBody(body);
    } catch (err) {
      if (err instanceof AuthBodyError) throw RpcError.invalid(err.message);
      throw err;
    }
    const base = { roomId: parsed.roomId, platform: parsed.platform, accepts: parsed.accepts, delivery: parsed.delivery, ...(parsed.resume ? { resume: parsed.resume } : {}) };
    const device = (claim?: string) => parsed.device ?? claim ?? (parsed.platform || 'default');
    if (this.config.auth.mode === 'dev' && !parsed.token) {
      if (parsed.mid === undefined) throw RpcError.unauthenticated('mid is required (dev auth mode)');
      return { ...base, device: device(), mid: parsed.mid, key: parsed.key ?? randomUUID() };
    }
    if (!parsed.token) throw RpcError.unauthenticated('token is required');
    const { mid, device: claim, token } = await this.verify(parsed.token);
    if (parsed.mid !== undefined && parsed.mid !== 0 && parsed.mid !== mid) {
      throw RpcError.unauthenticated(`mid ${parsed.mid} does not match the token's user ${mid}`);
    }
    // A client-chosen key could collide with another user's connection, so a verified client always gets a fresh one.
    return { ...base, device: device(claim), mid, key: randomUUID(), token };
  }

  private async verify(token: string): Promise<{ mid: number; device?: string; token: TokenFacts }> {
    const alg = this.headerAlg(token);
    const entry = this.keys.find((k) => k.alg === alg);
    if (!entry) throw RpcError.unauthenticated(`token algorithm ${alg} is not accepted (accepted: ${this.keys.map((k) => k.alg).join(', ') || 'none'})`);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, entry.key, {
        algorithms: [entry.alg],
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw RpcError.unauthenticated('token expired');
      if (err instanceof joseErrors.JOSEError) throw RpcError.unauthenticated(`token rejected: ${err.message}`);
      throw err;
    }
    // A device claim that is not a valid device name is left out rather than refusing the token.
    const device = typeof payload.device === 'string' && DEVICE.test(payload.device) ? payload.device : undefined;
    return { mid: this.midOf(payload), device, token: tokenFacts(payload) };
  }

  private headerAlg(token: string): string {
    const head = token.split('.')[0] ?? '';
    try {
      const alg: unknown = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')).alg;
      if (typeof alg === 'string') return alg;
    } catch {
      // fall through
    }
    throw RpcError.unauthenticated('token is not a JWT');
  }

  private midOf(payload: JWTPayload): number {
    const raw = payload.mid ?? payload.sub;
    const mid = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof mid !== 'number' || !Number.isSafeInteger(mid) || mid < 0) {
      throw RpcError.unauthenticated('token has no numeric user id (claim "mid" or "sub")');
    }
    return mid;
  }
}

/** A jti that is not 1-128 printable characters cannot be revoked by id: the token is refused. */
const JTI = /^[\x21-\x7e]{1,128}$/;

function tokenFacts(payload: JWTPayload): TokenFacts {
  if (payload.jti !== undefined && !JTI.test(payload.jti)) throw RpcError.unauthenticated('token rejected: claim "jti" must be 1-128 printable characters');
  return { jti: payload.jti, iat: typeof payload.iat === 'number' ? payload.iat : 0, exp: typeof payload.exp === 'number' ? payload.exp : 0, rooms: payload.rooms, ops: payload.ops };
}
