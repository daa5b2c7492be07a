import type { ChainableCommander, Cluster } from 'ioredis';

type Command = (...args: unknown[]) => unknown;
type Replies = Array<[Error | null, unknown]>;

/**
 * ioredis' Cluster runs a pipeline on one node only ("All keys in the pipeline should belong to the
 * same slots allocation group"), but the repositories batch commands for many users, rooms and
 * comets in one pipeline. The wrapped client's `pipeline()` records the commands and, on exec,
 * issues each on the cluster at once (one round trip in all, each command following MOVED/ASK on
 * its own through a failover); the replies come back in the order queued, as `[error, reply]` pairs
 * like a pipeline's. Commands on one key keep their order (one connection per node).
 * Each command (and each script) still has to stay in one slot; MULTI stays native (one slot).
 * Everything else is the Cluster itself, so `instanceof Cluster` and events work unchanged.
 */
export function slotSafePipeline(cluster: Cluster): Cluster {
  const bound = new WeakMap<Command, Command>();
  return new Proxy(cluster, {
    get(target, prop) {
      if (prop === 'pipeline') return () => splitPipeline(target);
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as Command;
      let b = bound.get(fn);
      if (!b) bound.set(fn, (b = fn.bind(target)));
      return b;
    },
  });
}

function splitPipeline(cluster: Cluster): ChainableCommander {
  const queued: Array<[string, unknown[]]> = [];
  const exec = async (): Promise<Replies> => {
    const calls = queued.map(([name, args]) => {
      const fn: unknown = Reflect.get(cluster, name);
      if (typeof fn !== 'function') return Promise.reject(new Error(`redis command ${name} is not defined on this client`));
      return Promise.resolve((fn as Command).apply(cluster, args));
    });
    const settled = await Promise.allSettled(calls);
    return settled.map((s): [Error | null, unknown] => (s.status === 'fulfilled' ? [null, s.value] : [asError(s.reason), null]));
  };
  const recorder: ChainableCommander = new Proxy({} as ChainableCommander, {
    get(_target, prop) {
      if (prop === 'exec') return exec;
      if (prop === 'length') return queued.length;
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (...args: unknown[]) => {
        queued.push([prop, args]);
        return recorder;
      };
    },
  });
  return recorder;
}

function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
