import { ImgateClient, type ImgateClientOptions } from '@imgate/sdk';
import { apiHeaders, signHs256 } from './jwt';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One push attempt as the business service saw it. */
export interface PushAnswer {
  at: number;
  status: number; // 0: no answer (connection refused, timeout)
  ms: number;
  id?: string;
}

/**
 * Pushes by mid at a steady rate, each with an idempotency key, retried (same key: same id, never
 * a second message) until accepted or given up. Keeps every answer, so a test can tell what was
 * accepted (200 with an id) from what was refused, and how fast refusals came.
 */
export class PushTraffic {
  readonly answers: PushAnswer[] = [];
  readonly accepted: string[] = [];
  /** When each accepted id was answered. */
  readonly acceptedAt = new Map<string, number>();
  /** Each accepted id's body (what a client without reliable delivery sees). */
  readonly bodyOf = new Map<string, string>();
  givenUp = 0;
  private running = false;
  private loop?: Promise<void>;
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly logicUrl: () => string,
    private readonly path: string,
    private readonly tag: string,
  ) {}

  start(everyMs: number): void {
    this.running = true;
    this.loop = (async () => {
      for (let n = 0; this.running; n++) {
        const p = this.push(n).finally(() => this.inflight.delete(p));
        this.inflight.add(p);
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all(this.inflight);
  }

  /** Answers (of any push) within [from, to). */
  between(from: number, to: number): PushAnswer[] {
    return this.answers.filter((a) => a.at >= from && a.at < to);
  }

  private async push(n: number): Promise<void> {
    const key = `${this.tag}-${n}`;
    for (let attempt = 0; attempt < 40; attempt++) {
      const at = Date.now();
      let status = 0;
      let id: string | undefined;
      try {
        const res = await fetch(`${this.logicUrl()}${this.path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain', 'Idempotency-Key': key, ...apiHeaders() },
          body: key,
          signal: AbortSignal.timeout(10_000),
        });
        status = res.status;
        id = ((await res.json()) as { data?: { id?: string } }).data?.id;
      } catch {
        // no answer: logic down or a timeout
      }
      this.answers.push({ at, status, ms: Date.now() - at, id });
      if (status === 200 && id) {
        this.accepted.push(id);
        this.acceptedAt.set(id, Date.now());
        this.bodyOf.set(id, `body:${key}`);
        return;
      }
      await sleep(500);
    }
    this.givenUp++;
  }
}

export interface ChaosClient {
  mid: number;
  client: ImgateClient;
  ids: Set<string>;
  /** When each id arrived (first time). */
  seenAt: Map<string, number>;
  connects: number[];
  drops: Array<{ at: number; code: string }>;
  /** Reliable delivery told the app a stream's history could not be recovered (e.g. Redis came back empty). */
  recoveryFailed: string[];
}

/** SDK clients with reliable delivery, each recording the message ids it got and when it (re)connected. */
export function chaosClients(count: number, midBase: number, options: Omit<ImgateClientOptions, 'token'> & { staticToken?: boolean }): Promise<ChaosClient[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const mid = midBase + i;
      const token = options.staticToken ? await signHs256({ mid }) : () => signHs256({ mid });
      const client = new ImgateClient({ accepts: [1000], delivery: true, watchNetwork: false, ...options, token });
      const c: ChaosClient = { mid, client, ids: new Set(), seenAt: new Map(), connects: [], drops: [], recoveryFailed: [] };
      client.on('recoveryFailed', (e) => c.recoveryFailed.push(e.reason));
      client.on('message', (m) => {
        // A best-effort push (no reliable delivery) has no id: its body (the push's key) stands in.
        const id = m.id ?? `body:${m.text()}`;
        if (c.ids.has(id)) return;
        c.ids.add(id);
        c.seenAt.set(id, Date.now());
      });
      client.on('connected', () => c.connects.push(Date.now()));
      client.on('disconnected', (e) => c.drops.push({ at: Date.now(), code: e.code }));
      return c;
    }),
  );
}

/** How many accepted ids each client lacks, summed. */
export function lostCount(clients: ChaosClient[], accepted: string[]): number {
  return clients.reduce((sum, c) => sum + accepted.filter((id) => !c.ids.has(id)).length, 0);
}

/**
 * How the clients got these ids: `live` (pushed before `syncFrom`, the moment the test asked the
 * clients to recover), `synced` (only after it: pulled from history), `missing`. Each counts
 * client × id pairs. Live pushes arrive in stream order, so a client that is not behind never
 * syncs by itself; a gap it sees is pulled after ~300 ms and would count as live here, which is
 * why tests also assert how soon the first live push came.
 */
export function howDelivered(clients: ChaosClient[], ids: string[], syncFrom: number): { live: number; synced: number; missing: number } {
  const out = { live: 0, synced: 0, missing: 0 };
  for (const c of clients) {
    for (const id of ids) {
      const at = c.seenAt.get(id);
      if (at === undefined) out.missing++;
      else if (at < syncFrom) out.live++;
      else out.synced++;
    }
  }
  return out;
}

/** When the first of these ids reached any client at or after `from` (undefined: none did). */
export function firstSeenAfter(clients: ChaosClient[], ids: string[], from: number): number | undefined {
  let first: number | undefined;
  for (const c of clients) {
    for (const id of ids) {
      const at = c.seenAt.get(id);
      if (at !== undefined && at >= from && (first === undefined || at < first)) first = at;
    }
  }
  return first;
}

/**
 * For each id, from its acceptance to its arrival at the last of the clients; the slowest of those
 * (0 for no ids, Infinity when some client never got one).
 */
export function slowestArrival(clients: ChaosClient[], ids: string[], acceptedAt: Map<string, number>): number {
  return Math.max(0, ...ids.map((id) => Math.max(...clients.map((c) => (c.seenAt.get(id) ?? Infinity) - (acceptedAt.get(id) ?? 0)))));
}

/** Accepted ids answered before / at-or-after a moment. */
export function acceptedBefore(traffic: PushTraffic, at: number, before = true): string[] {
  return traffic.accepted.filter((id) => ((traffic.acceptedAt.get(id) ?? 0) < at) === before);
}

export interface FaultRow {
  fault: string;
  clients: string;
  pushes: string;
  lost: number;
  recoverMs: number;
}

/** Prints the fault → outcome table the issue asks every chaos test for. */
export function printFaultTable(title: string, rows: FaultRow[]): string {
  const cols: Array<keyof FaultRow> = ['fault', 'clients', 'pushes', 'lost', 'recoverMs'];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const text = [title, line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => String(r[c]))))].join('\n');
  console.log(text);
  return text;
}
