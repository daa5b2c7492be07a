import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Share of the window the main thread was busy (not idle), 0..1. */
  busy: number;
  gc: number;
  /** Busy time by where it went (share of the window). */
  categories: Array<{ name: string; share: number }>;
  /** Top functions by self time (share of the window). */
  functions: Array<{ name: string; share: number }>;
  samples: number;
}

/** The .cpuprofile that --cpu-prof wrote for a process (named after its pid). */
export function findProfile(dir: string, pid: number): string | undefined {
  const hit = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.split('.')[3] === String(pid));
  return hit && join(dir, hit);
}

function category(frame: ProfileNode['callFrame']): string {
  const { functionName, url } = frame;
  if (functionName.startsWith('(')) return functionName; // (program), (garbage collector), (idle)
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) {
    const mod = url.slice(5).replace(/^internal\//, '');
    if (/^(net|stream|streams\/|stream_base_commons)/.test(mod)) return 'node: net & streams';
    if (/^(timers|process\/task_queues)/.test(mod)) return 'node: timers & microtasks';
    return 'node: other';
  }
  if (url.includes('/dist/apps/') || url.includes('/dist/libs/')) return 'imgate';
  if (url.includes('/dist/bench/')) return 'bench baseline';
  return '(other)';
}

/** Self time inside the windows (monotonic µs, the clock the profile uses), as shares of the windows. */
export function summarizeProfile(file: string, windows: Array<[number, number]>, top = 8): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = p.startTime;
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    const dt = p.timeDeltas[i + 1] ?? 0;
    if (!windows.some(([a, b]) => t >= a && t < b)) continue;
    selfUs.set(p.samples[i], (selfUs.get(p.samples[i]) ?? 0) + dt);
    total += dt;
  }
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  let idle = 0;
  let gc = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    if (frame.functionName === '(garbage collector)') gc += us;
    const c = category(frame);
    cats.set(c, (cats.get(c) ?? 0) + us);
    const name = frame.url ? `${frame.functionName || '(anonymous)'} (${basename(frame.url)}:${frame.lineNumber + 1})` : frame.functionName || '(anonymous)';
    fns.set(name, (fns.get(name) ?? 0) + us);
  }
  const share = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, share: total ? us / total : 0 }));
  return { busy: total ? 1 - idle / total : 0, gc: total ? gc / total : 0, categories: share(cats, 6), functions: share(fns, top), samples: selfUs.size ? total : 0 };
}
