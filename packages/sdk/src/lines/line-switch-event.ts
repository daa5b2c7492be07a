/** Line switching (issue 14): when and how the SDK compares comets and moves between them. */
export interface LineOptions {
  /** Comets probed at once (the current one aside). Default 3. */
  candidates?: number;
  /** Time for a probe race (dial, then op 2 answered before auth), ms. Default 2000. */
  probeTimeoutMs?: number;
  /** Time between two RTT samples (op 2) of the current link, ms. Default 5000. */
  checkIntervalMs?: number;
  /** A sample above this RTT (or a lost one, or a KCP retransmit rate above maxRetransmitRate) is bad, ms. Default 300. */
  degradedRttMs?: number;
  /** KCP: retransmitted / sent segments over a check interval above which the sample is bad. Default 0.2. */
  maxRetransmitRate?: number;
  /** The link must stay bad this long before other comets are probed, ms. Default 15000. */
  degradedForMs?: number;
  /** Hysteresis: another comet wins only with an RTT ≤ this share of the current link's (and below degradedRttMs). Default 0.5. */
  betterBy?: number;
  /** At most one switch per this interval, ms. Default 60000. */
  minSwitchIntervalMs?: number;
}

export type ResolvedLineOptions = Required<LineOptions>;

export function resolveLineOptions(o: LineOptions | true): ResolvedLineOptions {
  const v = o === true ? {} : o;
  return {
    candidates: Math.max(1, Math.floor(v.candidates ?? 3)),
    probeTimeoutMs: Math.max(1, v.probeTimeoutMs ?? 2_000),
    checkIntervalMs: Math.max(10, v.checkIntervalMs ?? 5_000),
    degradedRttMs: Math.max(1, v.degradedRttMs ?? 300),
    maxRetransmitRate: v.maxRetransmitRate ?? 0.2,
    degradedForMs: Math.max(0, v.degradedForMs ?? 15_000),
    betterBy: Math.min(1, Math.max(0, v.betterBy ?? 0.5)),
    minSwitchIntervalMs: Math.max(0, v.minSwitchIntervalMs ?? 60_000),
  };
}

/** The RTT a probe measured per node (undefined: no answer before the race ended — the first answer ends it). */
export interface LineRtt {
  node: string;
  rttMs: number | undefined;
}

/** The connection moved, make-before-break, to another comet. */
export interface LineSwitchEvent {
  /** Why: the current link stayed degraded (`rtt`: slow or lost pings, `retransmits`: KCP resends). */
  reason: 'rtt' | 'retransmits';
  from: string;
  to: string;
  /** The current link's smoothed RTT when it was left, ms (a lost ping counts as its timeout). */
  fromRttMs: number;
  /** The probe's RTT to the comet chosen, ms. */
  toRttMs: number;
  /** From the decision to the new connection's auth reply, ms. */
  switchMs: number;
  /** Every candidate probed. */
  probed: LineRtt[];
}

/** The race at connect: each candidate's RTT and the one taken. */
export interface LinesProbedEvent {
  chosen: string;
  probed: LineRtt[];
}
