import { Op, type Packet } from '@imgate/protocol';
import type { Link, LinkEvents } from '../link.js';
import type { Candidate } from '../node-list.js';
import type { Clock, TimerHandle, Timers } from '../timers.js';
import type { LineRtt } from './line-switch-event.js';

/** Probe pings use their own seq range; the probe link is never the authenticated one while they fly. */
const PROBE_SEQ = 0x7fff0000;

export interface RaceResult {
  /** The first candidate whose probe was answered, with its open link (the caller owns it now). */
  winner?: { candidate: Candidate; link: Link; rttMs: number };
  probed: LineRtt[];
  /** Why each candidate that did not answer failed (address → reason). */
  failures: Map<string, string>;
}

export interface RacePorts {
  /** Opens a link to the candidate with these events (may throw for an address it cannot use). */
  dial(candidate: Candidate, events: LinkEvents): Link;
  timers: Timers;
  clock: Clock;
}

/**
 * Races the candidates (seed 001's FindFastestLine): dials each, sends op 2 as soon as the link
 * is open (a comet answers it before auth), and takes the first that answers within
 * `timeoutMs`. Its RTT is open-to-answer; the others are closed. Resolves without a winner
 * when none answered in time.
 */
export function raceLines(candidates: readonly Candidate[], ports: RacePorts, timeoutMs: number): Promise<RaceResult> {
  return new Promise((resolve) => {
    const probed = new Map<string, number | undefined>(candidates.map((c) => [c.address, undefined]));
    const failures = new Map<string, string>();
    const links = new Map<Link, Candidate>();
    const openedAt = new Map<Link, number>();
    let done = false;
    const deadline: { timer?: TimerHandle } = {};

    const finish = (winner?: RaceResult['winner']) => {
      if (done) return;
      done = true;
      ports.timers.clearTimeout(deadline.timer);
      for (const l of links.keys()) if (l !== winner?.link) l.close();
      resolve({ winner, probed: [...probed].map(([node, rttMs]) => ({ node, rttMs })), failures });
    };
    const failed = (link: Link, reason: string) => {
      const c = links.get(link);
      if (!c || done) return;
      links.delete(link);
      link.close();
      failures.set(c.address, reason);
      if (links.size === 0) finish();
    };
    const events: LinkEvents = {
      open: (l) => {
        if (done) return;
        openedAt.set(l, ports.clock.now());
        l.send(Op.Heartbeat, PROBE_SEQ);
      },
      packet: (l, p: Packet) => {
        const c = links.get(l);
        if (!c || done) return;
        if (p.op !== Op.HeartbeatReply) return failed(l, `answered op ${p.op} to a probe`);
        const rttMs = ports.clock.now() - (openedAt.get(l) ?? ports.clock.now());
        probed.set(c.address, rttMs);
        finish({ candidate: c, link: l, rttMs });
      },
      close: (l, code, reason) => failed(l, `${code}: ${reason}`),
    };

    for (const c of candidates) {
      try {
        links.set(ports.dial(c, events), c);
      } catch (err) {
        failures.set(c.address, (err as Error).message);
      }
    }
    if (links.size === 0) return finish();
    deadline.timer = ports.timers.setTimeout(() => {
      for (const c of links.values()) failures.set(c.address, `no probe answer within ${timeoutMs} ms`);
      finish();
    }, timeoutMs);
  });
}
