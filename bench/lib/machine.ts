import { execSync } from 'node:child_process';
import { cpus } from 'node:os';

export interface Machine {
  nproc: string;
  free: string;
  node: string;
  cpu: string;
  kernel: string;
  nofile: { soft: number; hard: number };
  commit: string;
}

function sh(cmd: string): string {
  try {
    return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'n/a';
  }
}

export function machine(): Machine {
  const dirty = sh('git status --porcelain --untracked-files=no') ? ' + uncommitted changes' : '';
  return {
    nproc: sh('nproc'),
    free: sh('free -h'),
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} (${sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1")})`,
    kernel: sh('uname -sr'),
    nofile: { soft: Number(sh('ulimit -Sn')), hard: Number(sh('ulimit -Hn')) },
    commit: `${sh('git rev-parse --short HEAD')}${dirty}`,
  };
}
