import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger, RpcError } from '@imgate/common';
import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { LOGIC_CONFIG } from '../logic.tokens';
import type { LogicConfig } from '../logic.config';
import { AuthBodyError, DEVICE, parseAuthBody } from './auth-body';
import { TokenCheckUnavailable, TokenRefused, TokenVerifier } from './token-verifier';

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
  private readonly verifier: TokenVerifier;

  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.verifier = new TokenVerifier(config.auth.jwt);
    if (config.auth.mode === 'dev') {
      logger.warn(
        '!!! LOGIC_AUTH_MODE=dev: clients are trusted to name their own user id (mid), as goim\'s demo does. ' +
          'Never run this in production: set LOGIC_AUTH_MODE=jwt with LOGIC_JWT_SECRET, LOGIC_JWT_KEYS or LOGIC_JWT_JWKS_URL. !!!',
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
    let payload: JWTPayload;
    try {
      payload = await this.verifier.verify(token);
    } catch (err) {
      if (err instanceof TokenRefused) throw RpcError.unauthenticated(err.message);
      // The comet answers op 6 `unavailable` and the client retries: the token may be fine.
      if (err instanceof TokenCheckUnavailable) throw RpcError.unavailable(err.message);
      throw err;
    }
    // A device claim that is not a valid device name is left out rather than refusing the token.
    const device = typeof payload.device === 'string' && DEVICE.test(payload.device) ? payload.device : undefined;
    return { mid: this.midOf(payload), device, token: tokenFacts(payload) };
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
