import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, GrpcStatus, RpcError } from '@imgate/common';
import { QUEUE_PRODUCER, type QueueProducer, type QueueRecord } from '@imgate/queue';
import { LogicMetrics } from '../logic.metrics';
import { encodePushMsg } from '@imgate/contracts';
import { BUSINESS_OP_MIN } from '@imgate/protocol';
import type { LogicConfig } from '../logic.config';
import { LOGIC_CONFIG, SESSION_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from '../session/session.repository';

export interface PushResult {
  /** Queue records written: one per comet that holds receivers. */
  records: number;
  /** Receivers not online anywhere (keys, or mids as strings). */
  offline: string[];
}

const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const INT32_MAX = 0x7fffffff;
const ROOM = /^[\x21-\x7e]{1,128}$/;

/** Resolves receivers to the comets that hold them and writes one push record per comet. */
@Injectable()
export class PushService {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(QUEUE_PRODUCER) private readonly queue: QueueProducer,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: LogicMetrics,
  ) {}

  /** Counts every push by kind and outcome. */
  private async counted(kind: string, run: () => Promise<PushResult>): Promise<PushResult> {
    try {
      const result = await run();
      this.metrics.pushes.inc({ kind, result: 'ok' });
      return result;
    } catch (err) {
      this.metrics.pushes.inc({ kind, result: err instanceof RpcError && err.code === GrpcStatus.INVALID_ARGUMENT ? 'invalid' : 'failed' });
      throw err;
    }
  }

  pushKeys(keys: string[], operation: number, body: Uint8Array): Promise<PushResult> {
    return this.counted('keys', () => this.pushKeysNow(keys, operation, body));
  }

  private async pushKeysNow(keys: string[], operation: number, body: Uint8Array): Promise<PushResult> {
    this.validate(keys.length, operation, body, 'keys');
    const bad = keys.find((k) => !KEY.test(k));
    if (bad !== undefined) throw RpcError.invalid(`key ${JSON.stringify(bad.slice(0, 80))} is not 1-64 of [A-Za-z0-9_.:-]`);
    const unique = [...new Set(keys)];
    const servers = await this.sessions.serversByKeys(unique);
    const byServer = new Map<string, string[]>();
    const offline: string[] = [];
    unique.forEach((key, i) => {
      const server = servers[i];
      if (server) byServer.set(server, [...(byServer.get(server) ?? []), key]);
      else offline.push(key);
    });
    return { records: await this.write(byServer, operation, body), offline };
  }

  pushMids(mids: number[], operation: number, body: Uint8Array): Promise<PushResult> {
    return this.counted('mids', () => this.pushMidsNow(mids, operation, body));
  }

  private async pushMidsNow(mids: number[], operation: number, body: Uint8Array): Promise<PushResult> {
    this.validate(mids.length, operation, body, 'mids');
    const bad = mids.find((m) => !Number.isSafeInteger(m) || m <= 0);
    if (bad !== undefined) throw RpcError.invalid(`mid ${bad} is not a positive integer`);
    const unique = [...new Set(mids)];
    const sessions = await this.sessions.keysByMids(unique);
    const byServer = new Map<string, string[]>();
    for (const keys of sessions.values()) {
      for (const [key, server] of keys) byServer.set(server, [...(byServer.get(server) ?? []), key]);
    }
    const offline = unique.filter((m) => !sessions.has(m)).map(String);
    return { records: await this.write(byServer, operation, body), offline };
  }

  pushRoom(room: string, operation: number, body: Uint8Array): Promise<PushResult> {
    return this.counted('room', () => this.pushRoomNow(room, operation, body));
  }

  private async pushRoomNow(room: string, operation: number, body: Uint8Array): Promise<PushResult> {
    if (!ROOM.test(room)) throw RpcError.invalid(`room ${JSON.stringify(room.slice(0, 80))} is not 1-128 printable characters (type://id)`);
    this.validate(1, operation, body, 'room');
    // Keyed by room: one room's messages share a partition and keep their order.
    await this.send([{ key: room, value: encodePushMsg({ type: 'ROOM', operation, room, msg: body, acceptedAtMs: this.clock.now() }) }]);
    return { records: 1, offline: [] };
  }

  pushAll(operation: number, speed: number, body: Uint8Array): Promise<PushResult> {
    return this.counted('all', () => this.pushAllNow(operation, speed, body));
  }

  private async pushAllNow(operation: number, speed: number, body: Uint8Array): Promise<PushResult> {
    if (!Number.isInteger(speed) || speed < 0 || speed > INT32_MAX) throw RpcError.invalid(`speed ${speed} must be a non-negative integer (connections per second, 0 = unpaced)`);
    this.validate(1, operation, body, 'broadcast');
    await this.send([{ key: 'broadcast', value: encodePushMsg({ type: 'BROADCAST', operation, speed, msg: body, acceptedAtMs: this.clock.now() }) }]);
    return { records: 1, offline: [] };
  }

  private validate(count: number, operation: number, body: Uint8Array, what: string): void {
    if (count === 0) throw RpcError.invalid(`${what} must name at least one receiver`);
    if (count > this.config.pushMaxReceivers) throw RpcError.invalid(`${what} names ${count} receivers, limit ${this.config.pushMaxReceivers}`);
    if (!Number.isInteger(operation) || operation < BUSINESS_OP_MIN || operation > INT32_MAX) {
      throw RpcError.invalid(`operation ${operation} is not a business operation (${BUSINESS_OP_MIN}..${INT32_MAX})`);
    }
    if (body.length > this.config.pushMaxBytes) throw RpcError.invalid(`message is ${body.length} bytes, limit ${this.config.pushMaxBytes}`);
  }

  /** The record key is the comet id: one comet's pushes share a partition, so each connection sees them in order. */
  private async write(byServer: Map<string, string[]>, operation: number, body: Uint8Array): Promise<number> {
    if (byServer.size === 0) return 0;
    const acceptedAtMs = this.clock.now();
    const records: QueueRecord[] = [...byServer].map(([server, keys]) => ({
      key: server,
      value: encodePushMsg({ type: 'PUSH', operation, server, keys, msg: body, acceptedAtMs }),
    }));
    await this.send(records);
    return records.length;
  }

  private async send(records: QueueRecord[]): Promise<void> {
    const end = this.metrics.queueWrite.startTimer({ topic: 'push' });
    try {
      await this.queue.send(this.config.infra.pushTopic, records);
      end();
    } catch (err) {
      throw RpcError.unavailable(`push queue unavailable: ${(err as Error).message}`);
    }
  }
}
