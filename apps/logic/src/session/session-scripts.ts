/** The session store's Lua scripts; each touches keys of one hash tag only (one Cluster slot). */
export const sessionScripts = {
  /** Deletes only when the value is still ours: a late disconnect must not erase a newer session. */
  delIfEqual: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
  expireIfEqual: `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end return 0`,
  hdelIfEqual: `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`,
  /**
   * KEYS: k:{key}, k:{key}:gone; ARGV: server, tombstone seconds. Deletes our session and leaves a
   * tombstone, also when the session had already expired (a late renewal must not restore it);
   * nothing when the key now lives on another comet.
   */
  removeWithTombstone: `local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
if v then redis.call('DEL', KEYS[1]) return 1 end
return 0`,
  /** KEYS: k:{key}, k:{key}:gone; ARGV: server, ttl. Writes the session back unless disconnected or taken by another comet. */
  restore: `if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local v = redis.call('GET', KEYS[1])
if v and v ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`,
};
