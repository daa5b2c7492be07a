import { type ChildProcess, fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { AgentEndpoints, AgentReply, AgentRequest } from './client-agent.main';
import { LossyNetns } from './lossy-netns';
import type { RelayReply, RelayRequest } from './relay.main';

export type ImpairmentKind = 'kernel' | 'relay';

/** Where the comet's three listeners are, as seen from the host. */
export interface CometPorts {
  tcp: number;
  ws: number;
  kcp: number;
}

export interface DropCounters {
  /** Units the impairment saw (IP packets, datagrams or TCP segments) and dropped, since setLoss. */
  seen: number;
  dropped: number;
  unit: string;
}

/** A lossy path between the benchmark's clients and one comet. */
export interface Impairment {
  readonly kind: ImpairmentKind;
  readonly endpoints: AgentEndpoints;
  setLoss(p: number): Promise<void>;
  counters(): Promise<DropCounters[]>;
  /** Starts the client agent on the far side of the lossy path. */
  spawnAgent(): ChildProcess;
  /** Idempotent, synchronous where it can be (it also runs from exit handlers). */
  stop(): void;
}

const AGENT = join(__dirname, 'client-agent.main.js');
const RELAY = join(__dirname, 'relay.main.js');
const IPC: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc'];

/** Waits for the first IPC message from `child` that `pick` accepts. */
export function nextMessage<M, T>(child: ChildProcess, pick: (m: M) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    };
    const onMessage = (m: unknown) => {
      const v = pick(m as M);
      if (v !== undefined) done(undefined, v);
    };
    const onExit = (code: number | null) => done(new Error(`${what}: the process exited (${code})`));
    const timer = setTimeout(() => done(new Error(`${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Real kernel loss on a veth pair; the clients run inside the namespace. */
export class KernelImpairment implements Impairment {
  readonly kind = 'kernel' as const;
  readonly endpoints: AgentEndpoints;
  private readonly netns = new LossyNetns();

  constructor(comet: CometPorts) {
    LossyNetns.sweepStale();
    this.netns.create();
    const host = this.netns.hostIp;
    this.endpoints = {
      kcp: { host, port: comet.kcp, bindAddress: this.netns.nsIp },
      tcp: { host, port: comet.tcp },
      ws: `ws://${host}:${comet.ws}/sub`,
    };
  }

  async setLoss(p: number): Promise<void> {
    this.netns.setLoss(p);
  }

  async counters(): Promise<DropCounters[]> {
    return [{ ...this.netns.counters(), unit: 'IP packets' }];
  }

  spawnAgent(): ChildProcess {
    const [cmd, args] = this.netns.wrap([process.execPath, AGENT]);
    return spawn(cmd, args, { stdio: IPC });
  }

  stop(): void {
    this.netns.destroy();
  }
}

/** The userspace relay (bench/impair/*.relay.ts) in its own process, on 127.0.0.1. */
export class RelayImpairment implements Impairment {
  readonly kind = 'relay' as const;
  private base = { udp: { datagrams: 0, dropped: 0 }, tcp: { transmissions: 0, lost: 0 } };

  private constructor(
    private readonly relay: ChildProcess,
    readonly endpoints: AgentEndpoints,
    private readonly rttMs: number,
  ) {}

  static async start(comet: CometPorts, opts: { rttMs: number; seed: number }): Promise<RelayImpairment> {
    const routes = ['--udp', `0=127.0.0.1:${comet.kcp}`, '--tcp', `0=127.0.0.1:${comet.tcp}`, '--tcp', `0=127.0.0.1:${comet.ws}`];
    const relay = fork(RELAY, [...routes, '--rtt', String(opts.rttMs), '--seed', String(opts.seed)], { stdio: IPC });
    try {
      const ports = await nextMessage(relay, (m: RelayReply) => (m.type === 'ready' ? m.ports : undefined), 10_000, 'relay start');
      const [kcp, tcp, ws] = ports;
      const endpoints = { kcp: { host: '127.0.0.1', port: kcp, bindAddress: '127.0.0.1' }, tcp: { host: '127.0.0.1', port: tcp }, ws: `ws://127.0.0.1:${ws}/sub` };
      return new RelayImpairment(relay, endpoints, opts.rttMs);
    } catch (err) {
      relay.kill('SIGKILL');
      throw err;
    }
  }

  private ask<T>(req: RelayRequest, pick: (m: RelayReply) => T | undefined): Promise<T> {
    const answer = nextMessage(this.relay, pick, 5_000, `relay ${req.type}`);
    this.relay.send(req);
    return answer;
  }

  private stats() {
    return this.ask({ type: 'stats' }, (m) => (m.type === 'stats' ? m : undefined));
  }

  async setLoss(p: number): Promise<void> {
    await this.ask({ type: 'profile', profile: { loss: p, rttMs: this.rttMs, jitterMs: 0 } }, (m) => (m.type === 'profile-ok' ? true : undefined));
    const s = await this.stats();
    this.base = { udp: s.udp, tcp: s.tcp };
  }

  async counters(): Promise<DropCounters[]> {
    const s = await this.stats();
    return [
      { seen: s.udp.datagrams - this.base.udp.datagrams, dropped: s.udp.dropped - this.base.udp.dropped, unit: 'UDP datagrams' },
      { seen: s.tcp.transmissions - this.base.tcp.transmissions, dropped: s.tcp.lost - this.base.tcp.lost, unit: 'TCP segment transmissions (modelled)' },
    ];
  }

  spawnAgent(): ChildProcess {
    return fork(AGENT, [], { stdio: IPC });
  }

  stop(): void {
    if (this.relay.exitCode === null && this.relay.signalCode === null) this.relay.kill('SIGTERM');
  }
}

/** Request/answer over the agent's IPC channel; receipts go to `onRx`. */
export class AgentHandle {
  constructor(
    readonly child: ChildProcess,
    onRx: (m: Extract<AgentReply, { type: 'rx' }>) => void,
  ) {
    child.on('message', (m: unknown) => {
      const r = m as AgentReply;
      if (r.type === 'rx') onRx(r);
    });
  }

  async request(req: AgentRequest, timeoutMs: number): Promise<void> {
    const want = req.type === 'connect' ? 'connected' : 'closed';
    const answer = nextMessage(this.child, (m: AgentReply) => (m.type === want ? true : m.type === 'error' ? m.message : undefined), timeoutMs, `agent ${req.type}`);
    this.child.send(req);
    const got = await answer;
    if (got !== true) throw new Error(`agent ${req.type}: ${got}`);
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }
}
