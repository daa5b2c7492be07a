import { Inject, Injectable } from '@nestjs/common';
import { RpcError } from '@imgate/common';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, SESSION_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from '../session/session.repository';
import { AccessMetrics } from './access.metrics';
import { store } from './access.service';
import { addTarget, CometKicker, type KickTarget } from '../connections/comet-kicker';

const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_REASON = 200;

/** Admin kick: users or connections, on every comet holding them. */
@Injectable()
export class KickService {
  constructor(
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    private readonly kicker: CometKicker,
    private readonly metrics: AccessMetrics,
  ) {}

  /** Closes every connection of `mids` and the connections `keys`, wherever they are; op 21 `kicked` with `reason`. */
  async kick(mids: readonly number[], keys: readonly string[], reason: string): Promise<{ closed: number }> {
    const max = this.config.pushMaxReceivers;
    if (mids.length + keys.length === 0) throw RpcError.invalid('name mids or keys to kick');
    if (mids.length + keys.length > max) throw RpcError.invalid(`at most ${max} mids and keys per kick`);
    if (!mids.every((m) => Number.isSafeInteger(m) && m > 0)) throw RpcError.invalid('mids must be positive integers');
    if (!keys.every((k) => KEY.test(k))) throw RpcError.invalid('keys must be 1-64 of [A-Za-z0-9_.:-]');
    if (reason.length > MAX_REASON) throw RpcError.invalid(`reason must be at most ${MAX_REASON} characters`);
    const targets = new Map<string, KickTarget>();
    const [byMid, servers] = await store('session store', () => Promise.all([this.sessions.keysByMids([...mids]), this.sessions.serversByKeys([...keys])]));
    for (const [mid, routes] of byMid) for (const server of new Set(routes.values())) addTarget(targets, server, { mids: [mid] });
    keys.forEach((k, i) => {
      const server = servers[i];
      if (server) addTarget(targets, server, { keys: [k] });
    });
    const closed = await this.kicker.kickMany(targets, 'kicked', reason || 'kicked by the operator');
    this.metrics.kicked.inc({ code: 'kicked' }, closed);
    return { closed };
  }
}
