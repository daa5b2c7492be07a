import { post } from './cluster';

/**
 * Pushes `<prefix><n>` to a logic push URL at a steady rate until stopped, without waiting for
 * one push before the next; every push must be accepted (failures are kept for the test).
 */
export class Pusher {
  sent = 0;
  readonly failures: string[] = [];
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly perSecond: number,
    private readonly prefix = 'push-',
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      const p = post(this.url, `${this.prefix}${this.sent++}`).then((r) => {
        if (r.status !== 200) this.failures.push(JSON.stringify(r.json));
      });
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }, 1000 / this.perSecond);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
  }

  /** Texts pushed so far that `received` holds other than exactly once, as `text×count`. */
  notOnce(received: readonly string[]): string[] {
    const counts = new Map<string, number>();
    for (const t of received) counts.set(t, (counts.get(t) ?? 0) + 1);
    const bad: string[] = [];
    for (let i = 0; i < this.sent; i++) {
      const n = counts.get(`${this.prefix}${i}`) ?? 0;
      if (n !== 1) bad.push(`${this.prefix}${i}×${n}`);
    }
    return bad;
  }
}
