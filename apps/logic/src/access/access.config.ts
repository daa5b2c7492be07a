import type { Env } from '@imgate/common';

/** Room/operation permissions, the join hook, multi-login policy, kicks and revocations (docs/security.md). */
export interface AccessConfig {
  /** A token without a `rooms` claim (or dev auth): any room (`allow`, goim's behaviour) or none (`deny`). */
  roomsDefault: 'allow' | 'deny';
  /** A token without an `ops` claim: any operation (`allow`) or none beyond op 4 being refused too (`deny`). */
  opsDefault: 'allow' | 'deny';
  /** POST {mid,key,room,platform} → {allow,reason?} before each join; empty for none. */
  joinHookUrl: string;
  joinHookTimeoutMs: number;
  /** A hook answer is reused this long per (mid, room). */
  joinHookCacheMs: number;
  /** Live connections per user; the oldest is kicked beyond it (0 = no cap). */
  maxConnsPerMid: number;
  /** One connection per (user, platform): a newer one kicks the older. */
  onePerPlatform: boolean;
  /** How long a revocation is kept when its token's `exp` is not given (and for "mid before T"). */
  revokeTtlSec: number;
}

export function loadAccessConfig(env: Env): AccessConfig {
  return {
    roomsDefault: env.oneOf('LOGIC_ROOMS_DEFAULT', ['allow', 'deny'] as const, 'allow'),
    opsDefault: env.oneOf('LOGIC_OPS_DEFAULT', ['allow', 'deny'] as const, 'allow'),
    joinHookUrl: env.optional('LOGIC_JOIN_HOOK_URL') ? env.url('LOGIC_JOIN_HOOK_URL', '', ['http:', 'https:']) : '',
    joinHookTimeoutMs: env.int('LOGIC_JOIN_HOOK_TIMEOUT_MS', 2_000, 50, 30_000),
    joinHookCacheMs: env.int('LOGIC_JOIN_HOOK_CACHE_MS', 5_000, 0, 600_000),
    maxConnsPerMid: env.int('LOGIC_MAX_CONNS_PER_MID', 0, 0, 10_000),
    onePerPlatform: env.bool('LOGIC_ONE_PER_PLATFORM', false),
    revokeTtlSec: env.int('LOGIC_REVOKE_TTL_SEC', 30 * 86_400, 60, 366 * 86_400),
  };
}
