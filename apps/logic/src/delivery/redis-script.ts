import type { RedisClient } from '@imgate/store';

export type RedisPipeline = ReturnType<RedisClient['pipeline']>;
// Buffer, not Uint8Array: ioredis sends any other object as its String(), "1,2,3".
type ScriptArg = string | number | Buffer;

/**
 * A Lua script registered with ioredis' defineCommand: sent once, then called by EVALSHA (ioredis
 * loads it again on NOSCRIPT, pipelines included). The command is looked up by name because
 * ioredis types only its built-in commands.
 */
export class RedisScript {
  constructor(
    redis: RedisClient,
    private readonly name: string,
    lua: string,
    numberOfKeys: number,
  ) {
    redis.defineCommand(name, { lua, numberOfKeys });
  }

  /** Queues a call on a pipeline or MULTI; its reply comes back in `exec()`'s results. */
  queue(target: RedisPipeline, keys: ReadonlyArray<string>, args: ReadonlyArray<ScriptArg>): void {
    this.command(target).apply(target, [...keys, ...args]);
  }

  /** On a pipeline or MULTI the command only queues (and returns the pipeline), so nothing to await. */
  private command(target: object): (...args: unknown[]) => unknown {
    const fn: unknown = Reflect.get(target, this.name);
    if (typeof fn !== 'function') throw new Error(`redis script ${this.name} is not defined on this client`);
    return fn as (...args: unknown[]) => unknown;
  }
}

/** A pipeline's or MULTI's results, or the first error in them. */
export function results(replies: Array<[Error | null, unknown]> | null): unknown[] {
  if (!replies) throw new Error('redis pipeline aborted');
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}
