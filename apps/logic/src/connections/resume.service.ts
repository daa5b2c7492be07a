import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import type { LogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { LOGIC_CONFIG } from '../logic.tokens';
import { CometKicker } from './comet-kicker';
import { CONNECTION_RECORDS, type ConnectionRecord, type ConnectionRecordRepository, type HeldPush } from './connection-record';
import { formatToken, mintSecret, parseToken, secretHash } from './resume-token';

export interface Resumed {
  record: ConnectionRecord;
  held: HeldPush[];
  /** The rotated secret: the old token is spent. */
  secret: string;
}

/**
 * Session resume: every connection's record carries the hash of a fresh secret; the client gets
 * `<key>.<secret>` in its auth reply. Presented at a later auth (with a valid token for the same
 * user) within the window after the connection went — or while it is still open, half-dead, on
 * another comet — it brings back the key, rooms and accepts, once: each resume rotates the secret.
 */
@Injectable()
export class ResumeService {
  constructor(
    @Inject(CONNECTION_RECORDS) private readonly records: ConnectionRecordRepository,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    private readonly kicker: CometKicker,
    private readonly metrics: LogicMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get windowSec(): number {
    return this.config.resume.windowSec;
  }

  /** Claims the earlier session named by `token` for `mid`; null (counted, logged) when it cannot be. */
  async claim(token: string, mid: number): Promise<Resumed | null> {
    if (this.windowSec === 0) return null;
    const parsed = parseToken(token);
    const secret = mintSecret();
    const got = parsed && (await this.records.claim(parsed.key, mid, secretHash(parsed.secret), secretHash(secret)));
    this.metrics.resumes.inc({ result: got ? 'ok' : 'refused' });
    if (!got) {
      this.logger.info({ mid, key: parsed?.key }, 'resume refused: unknown, expired or spent token, or another user\'s');
      return null;
    }
    return { ...got, secret };
  }

  /** Writes the connection's record; returns the token for its auth reply ('' when resume is off). */
  async record(rec: ConnectionRecord, secret?: string): Promise<string> {
    const s = this.windowSec > 0 ? (secret ?? mintSecret()) : '';
    await this.records.put(rec, s ? secretHash(s) : '', this.config.sessionTtlSec);
    return s ? formatToken({ key: rec.key, secret: s }) : '';
  }

  /** The resumed session's old connection, if its comet still holds it, is closed with op 21 `replaced`. */
  replaceOld(old: ConnectionRecord, server: string): void {
    if (old.server === server) return; // the comet replaces a same-key connection itself
    void this.kicker.kick(old.server, old.key, 'replaced', 'the session was resumed on another connection');
  }

  /** Keys whose live record says another comet holds them now (the session was resumed there). */
  async movedAway(keys: readonly string[], server: string): Promise<Set<string>> {
    const recs = await this.records.get(keys);
    return new Set(keys.filter((_, i) => recs[i] !== null && recs[i]!.server !== server));
  }

    refresh(keys: readonly string[], server: string): Promise<void> {
    return this.records.refresh(keys, server, this.config.sessionTtlSec);
  }

  /** The comet saw the connection go: its record stays for the window (pushes by key are held). */
  release(key: string, server: string): Promise<void> {
    return this.records.release(key, server, this.windowSec);
  }

  /** Keys among `offline` whose session is away within its window: they keep the push for the resume. */
  hold(offline: readonly string[], push: HeldPush): Promise<string[]> {
    if (this.windowSec === 0 || this.config.resume.holdMax === 0 || offline.length === 0) return Promise.resolve([]);
    return this.records.hold(offline, push, this.config.resume.holdMax);
  }
}
