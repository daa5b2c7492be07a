import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { LogicClient } from './logic.client';

/** What logic records of a connection's state: its rooms and the operations it accepts. */
export interface SessionSource {
  readonly mid: number;
  readonly key: string;
  readonly roomId: string;
  roomList(): string[];
  readonly accepts: ReadonlySet<number>;
  readonly isOpen: boolean;
}

const BATCH = 2_000;

/**
 * Room and operation changes, gathered per tick and sent to logic (UpdateSessions), so the session
 * record a resume restores and `/v1/connections` lists follow what the client did since auth. The
 * state is read when sent, so several changes in one tick make one update.
 */
@Injectable()
export class SessionUpdates {
  private queue = new Set<SessionSource>();
  private scheduled = false;

  constructor(
    private readonly logic: LogicClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  add(conn: SessionSource): void {
    this.queue.add(conn);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const all = [...this.queue].filter((c) => c.isOpen);
    this.queue.clear();
    for (let i = 0; i < all.length; i += BATCH) void this.send(all.slice(i, i + BATCH));
  }

  private async send(conns: SessionSource[]): Promise<void> {
    const sessions = conns.map((c) => ({ mid: c.mid, key: c.key, roomId: c.roomId, rooms: c.roomList().filter((r) => r !== c.roomId), accepts: [...c.accepts] }));
    try {
      await this.logic.updateSessions(sessions);
    } catch (err) {
      // The record keeps the earlier state: a resume would bring back the rooms of before this change.
      this.logger.warn({ sessions: sessions.length, err: (err as Error).message }, 'session update not recorded in logic');
    }
  }
}
