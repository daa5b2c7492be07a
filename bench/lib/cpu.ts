import { readdirSync, readFileSync } from 'node:fs';
import { cpuTicks, machineTicks } from './procs';
import { hrUs } from './stats';

const USER_HZ = 100;

/** Named groups of processes whose CPU time is compared over a window. */
export type CpuGroups = Record<string, number[]>;

export interface CpuMark {
  at: number;
  ticks: Record<string, number>;
  self: number;
  machine: { busy: number; total: number; softirq: number; steal: number };
}

/** CPU use over a window: per group in cores (1.0 = one core busy), the machine in cores too. */
export interface CpuUse {
  groups: Record<string, number>;
  driver: number;
  machine: number;
  /** Kernel softirq (the loopback network's receive work) and hypervisor steal, in cores. */
  softirq: number;
  steal: number;
}

export function cpuMark(groups: CpuGroups): CpuMark {
  const ticks: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) ticks[name] = pids.reduce((a, pid) => a + (cpuTicks(pid) || 0), 0);
  const u = process.cpuUsage();
  return { at: hrUs(), ticks, self: (u.user + u.system) / 1e6, machine: machineTicks() };
}

export function cpuUse(a: CpuMark, b: CpuMark, cores: number): CpuUse {
  const secs = (b.at - a.at) / 1e6;
  const groups: Record<string, number> = {};
  for (const name of Object.keys(a.ticks)) groups[name] = (b.ticks[name] - a.ticks[name]) / USER_HZ / secs;
  const dm = b.machine.total - a.machine.total;
  const share = (k: 'busy' | 'softirq' | 'steal') => (dm > 0 ? ((b.machine[k] - a.machine[k]) / dm) * cores : Number.NaN);
  return { groups, driver: (b.self - a.self) / secs, machine: share('busy'), softirq: share('softirq'), steal: share('steal') };
}

/** Redis and Kafka processes on this machine (read-only look at /proc), for CPU accounting. */
export function infraPids(): { redis: number[]; kafka: number[] } {
  const out = { redis: [] as number[], kafka: [] as number[] };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'redis-server') out.redis.push(Number(entry));
      else if (comm === 'java' && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('kafka')) out.kafka.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
