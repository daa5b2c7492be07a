import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import type { CometConfig } from '../comet.config';
import { COMET_CONFIG } from '../comet.tokens';
import { type AckEntry, LogicClient } from './logic.client';

interface Pending {
  mid: number;
  device: string;
  stream: string;
  offset: bigint;
}

/**
 * Client acks (op 18), gathered comet-wide: acks are cumulative, so only the highest offset per
 * user and device is kept, and logic gets one Ack call every `COMET_ACK_FLUSH_MS` whatever the
 * number of clients. A failed call puts its acks back (a newer one still wins); the last flush
 * runs at shutdown, after the clients are gone and before the logic client closes.
 */
@Injectable()
export class AckForwarder implements OnApplicationBootstrap, OnApplicationShutdown {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private inFlight = false;

  constructor(
    private readonly logic: LogicClient,
    @Inject(COMET_CONFIG) private readonly config: Pick<CometConfig, 'ackFlushMs'>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Records that this device of user `mid` holds `stream` up to `offset`. */
  add(mid: number, device: string, stream: string, offset: bigint): void {
    const k = `${mid} ${device}`;
    const cur = this.pending.get(k);
    if (cur && cur.stream === stream && cur.offset >= offset) return;
    this.pending.set(k, { mid, device, stream, offset });
  }

  /**
   * Sends what was gathered, one call at a time (a flush during a call waits its turn). When idle
   * the call starts at once, so the shutdown flush is under way before the logic client closes.
   */
  flush(): Promise<void> {
    this.sending = this.inFlight ? this.sending.then(() => this.send()) : this.send();
    return this.sending;
  }

  private async send(): Promise<void> {
    if (this.pending.size === 0) return;
    this.inFlight = true;
    const batch = this.pending;
    this.pending = new Map();
    const acks: AckEntry[] = [...batch.values()].map((a) => ({ mid: a.mid, device: a.device, stream: a.stream, offset: a.offset.toString() }));
    try {
      await this.logic.ack(acks);
    } catch (err) {
      this.logger.warn({ acks: acks.length, err: (err as Error).message }, 'acks not recorded in logic; retrying with the next flush');
      for (const a of batch.values()) this.add(a.mid, a.device, a.stream, a.offset);
    } finally {
      this.inFlight = false;
    }
  }

  onApplicationBootstrap(): void {
    // An idle comet allocates nothing here (no promise per tick), so V8 can give back its young-generation pages.
    this.timer = setInterval(() => {
      if (this.pending.size > 0) void this.flush();
    }, this.config.ackFlushMs);
    this.timer.unref();
  }

  /** After the drain (clients are gone). Listed before LogicClient in the module: hooks run in that order. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
