import type { RedisClient } from '@imgate/store';
import { decodeLogin, encodeLogin, type Login, type LoginRepository } from './login.repository';

/**
 * Key layout (each command touches one key; the hash tag is the user id or the jti):
 *   {prefix}login:{<mid>}  hash   connection key → JSON {s: comet, p: platform, j: jti, i: iat, t: connected ms}
 *   {prefix}jti:{<jti>}    string user id, kept for the token's remaining life (or the session TTL)
 *
 * Platform and connect time are also in the connection record (`c:{<key>}`, connections/) on
 * purpose: the multi-login check needs them for all of a user's connections in one read of one
 * slot, while the record is read by key alone (a push by key names no user), outlives the
 * connection for the resume window, and exists for anonymous (mid 0) connections too.
 */
export class RedisLoginRepository implements LoginRepository {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private loginKey(mid: number): string {
    return `${this.prefix}login:{${mid}}`;
  }

  private jtiKey(jti: string): string {
    return `${this.prefix}jti:{${jti}}`;
  }

  async add(mid: number, key: string, login: Login, ttlSec: number, jtiTtlSec: number): Promise<void> {
    const ops: Array<Promise<unknown>> = [this.redis.multi().hset(this.loginKey(mid), key, encodeLogin(login)).expire(this.loginKey(mid), ttlSec).exec()];
    if (login.jti) ops.push(this.redis.set(this.jtiKey(login.jti), String(mid), 'EX', jtiTtlSec));
    await Promise.all(ops);
  }

  async remove(mid: number, key: string): Promise<void> {
    await this.redis.hdel(this.loginKey(mid), key);
  }

  async list(mid: number): Promise<Map<string, Login>> {
    const out = new Map<string, Login>();
    for (const [key, raw] of Object.entries(await this.redis.hgetall(this.loginKey(mid)))) {
      const login = decodeLogin(raw);
      if (login) out.set(key, login);
    }
    return out;
  }

  async touch(mids: readonly number[], ttlSec: number): Promise<void> {
    if (mids.length === 0) return;
    // One round trip per renewal batch, as the session refreshes it follows.
    const p = this.redis.pipeline();
    for (const mid of new Set(mids)) p.expire(this.loginKey(mid), ttlSec);
    const results = await p.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  async midOfJti(jti: string): Promise<number | null> {
    const v = await this.redis.get(this.jtiKey(jti));
    return v !== null && /^\d+$/.test(v) ? Number(v) : null;
  }
}
