import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, GrpcStatus, RpcError } from '@imgate/common';
import { QUEUE_PRODUCER, type QueueProducer, type QueueRecord } from '@imgate/queue';
import { encodePushMsg } from '@imgate/contracts';
import { BUSINESS_OP_MIN, roomStream } from '@imgate/protocol';
import { ResumeService } from '../connections/resume.service';
import type { IdempotencyRepository } from '../delivery/idempotency.repository';
import { MessageIds } from '../delivery/message-ids';
import { userStream } from '../delivery/stream-keys';
import type { Appended, StreamRepository } from '../delivery/stream.repository';
import type { LogicConfig } from '../logic.config';
import { LogicMetrics } from '../logic.metrics';
import { IDEMPOTENCY_REPOSITORY, LOGIC_CONFIG, SESSION_REPOSITORY, STREAM_REPOSITORY } from '../logic.tokens';
import type { SessionRepository } from '../session/session.repository';

export interface PushResult {
  /** Queue records written: one per comet that holds receivers. */
  records: number;
  /** Receivers not online anywhere (keys, or mids as strings). */
  offline: string[];
  /** The push's message id (snowflake, decimal: it passes 2^53). */
  id: string;
  /** Set when an earlier push with the same idempotency key had this id; nothing was pushed again. */
  duplicate?: true;
}

/** A queue record's place in a stream; offsets stay far below 2^53, so they travel as numbers. */
interface Position {
  stream: string;
  epoch: number;
  offset: number;
}

/** The outcome before the id is attached. */
interface Sent {
  records: number;
  offline: string[];
}

const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const INT32_MAX = 0x7fffffff;
const ROOM = /^[\x21-\x7e]{1,128}$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/** Why an idempotency key is refused, or undefined when it is fine ('' = none). */
export function idempotencyKeyProblem(key: string): string | undefined {
  if (key === '' || IDEMPOTENCY_KEY.test(key)) return undefined;
  return `idempotency key ${JSON.stringify(key.slice(0, 80))} is not 1-128 printable ASCII characters`;
}

const position = (a: Appended): Position => ({ stream: a.stream, epoch: a.epoch, offset: Number(a.offset) });

/** Where an earlier attempt stored the message, by stream (a retry that completes it reuses them). */
type Stored = Map<string, Appended>;

/**
 * The idempotency value of a push whose message is stored but whose queue write is not confirmed:
 * `~<id>` and the stored positions, `<stream>=<epoch>.<offset>` each (stream names hold no space).
 */
function storedValue(id: bigint, appended: Array<Appended | undefined>): string {
  return [`~${id}`, ...appended.filter((a): a is Appended => a !== undefined).map((a) => `${a.stream}=${a.epoch}.${a.offset}`)].join(' ');
}

function parseStoredValue(value: string): { id: bigint; stored: Stored } | undefined {
  const [head, ...entries] = value.split(' ');
  if (!/^~\d{1,20}$/.test(head)) return undefined;
  const stored: Stored = new Map();
  for (const entry of entries) {
    const eq = entry.lastIndexOf('=');
    const at = /^(\d{1,10})\.(\d{1,20})$/.exec(entry.slice(eq + 1));
    if (eq <= 0 || !at) return undefined;
    stored.set(entry.slice(0, eq), { stream: entry.slice(0, eq), epoch: Number(at[1]), offset: BigInt(at[2]) });
  }
  return { id: BigInt(head.slice(1)), stored };
}

/** A push run: `stored` is told once the message is in its streams; `prior` replaces the append (a retry completing an earlier attempt). */
type Run = (id: bigint, stored: (appended: Array<Appended | undefined>) => void, prior?: Stored) => Promise<Sent>;

/**
 * Gives every push a message id, appends pushes by mid and to rooms to their streams (offsets are
 * assigned here, before the queue write, so a replayed record keeps them), resolves receivers to
 * the comets that hold them and writes one push record per comet.
 */
@Injectable()
export class PushService {
  constructor(
    @Inject(SESSION_REPOSITORY) private readonly sessions: SessionRepository,
    @Inject(QUEUE_PRODUCER) private readonly queue: QueueProducer,
    @Inject(STREAM_REPOSITORY) private readonly streams: StreamRepository,
    @Inject(IDEMPOTENCY_REPOSITORY) private readonly idempotency: IdempotencyRepository,
    private readonly ids: MessageIds,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: LogicMetrics,
    private readonly resume: ResumeService,
  ) {
    metrics.pushQueueDepth = () => queue.depth ?? 0;
  }

  pushKeys(keys: string[], operation: number, body: Uint8Array, idempotencyKey = ''): Promise<PushResult> {
    return this.accepted('keys', idempotencyKey, () => {
      this.validate(keys.length, operation, body, 'keys');
      const bad = keys.find((k) => !KEY.test(k));
      if (bad !== undefined) throw RpcError.invalid(`key ${JSON.stringify(bad.slice(0, 80))} is not 1-64 of [A-Za-z0-9_.:-]`);
    }, (id) => this.pushKeysNow([...new Set(keys)], operation, body, id));
  }

  pushMids(mids: number[], operation: number, body: Uint8Array, idempotencyKey = ''): Promise<PushResult> {
    return this.accepted('mids', idempotencyKey, () => {
      this.validate(mids.length, operation, body, 'mids');
      const bad = mids.find((m) => !Number.isSafeInteger(m) || m <= 0);
      if (bad !== undefined) throw RpcError.invalid(`mid ${bad} is not a positive integer`);
    }, (id, stored, prior) => this.pushMidsNow([...new Set(mids)], operation, body, id, stored, prior));
  }

  pushRoom(room: string, operation: number, body: Uint8Array, idempotencyKey = ''): Promise<PushResult> {
    return this.accepted('room', idempotencyKey, () => {
      if (!ROOM.test(room)) throw RpcError.invalid(`room ${JSON.stringify(room.slice(0, 80))} is not 1-128 printable characters (type://id)`);
      this.validate(1, operation, body, 'room');
    }, (id, stored, prior) => this.pushRoomNow(room, operation, body, id, stored, prior));
  }

  pushAll(operation: number, speed: number, body: Uint8Array, idempotencyKey = ''): Promise<PushResult> {
    return this.accepted('all', idempotencyKey, () => {
      if (!Number.isInteger(speed) || speed < 0 || speed > INT32_MAX) throw RpcError.invalid(`speed ${speed} must be a non-negative integer (connections per second, 0 = unpaced)`);
      this.validate(1, operation, body, 'broadcast');
    }, async (id) => {
      await this.send([{ key: 'broadcast', value: encodePushMsg({ type: 'BROADCAST', operation, speed, msg: body, acceptedAtMs: this.clock.now(), id: id.toString() }) }]);
      return { records: 1, offline: [] };
    });
  }

  /**
   * Validates, mints the id, claims the idempotency key, runs the push and counts it by kind and
   * outcome. The key's value follows the push (docs/delivery.md, *Idempotency*):
   *   `?<id>` claimed, nothing stored yet (short-lived: a logic instance that dies here must not
   *           leave a key whose retries answer an id nothing holds); a failure gives the key up;
   *   `~<id> <positions>` the message is in its streams, the queue write not yet confirmed; a
   *           failure keeps it, and a retry under the key completes this push (same id, same
   *           offsets, queued now), so a push refused 503 after its append still goes out live;
   *   `<id>`  stored and queued: a repeat answers the id and pushes nothing again.
   */
  private async accepted(kind: string, idempotencyKey: string, validate: () => void, run: Run): Promise<PushResult> {
    let result: PushResult;
    try {
      const problem = idempotencyKeyProblem(idempotencyKey);
      if (problem) throw RpcError.invalid(problem);
      validate();
      const id = await this.ids.next();
      const claim = idempotencyKey ? `push:${idempotencyKey}` : '';
      const pending = `?${id}`;
      if (claim) {
        const held = await this.idempotency.claim(claim, pending, this.pendingTtlSec()).catch((err: unknown) => {
          throw RpcError.unavailable(`idempotency store unavailable: ${(err as Error).message}`);
        });
        if (!held.first) {
          if (held.value.startsWith('?')) throw RpcError.unavailable('an earlier push with this idempotency key is still in progress; retry');
          if (held.value.startsWith('~')) return await this.complete(kind, claim, held.value, run);
          this.metrics.pushes.inc({ kind, result: 'duplicate' });
          return { records: 0, offline: [], id: held.value, duplicate: true };
        }
      }
      const ttl = this.config.delivery.idempotencyTtlSec;
      let storedAs: string | undefined;
      let marking: Promise<void> = Promise.resolve();
      try {
        result = {
          ...(await run(id, (appended) => {
            if (!claim) return;
            storedAs = storedValue(id, appended);
            marking = this.idempotency.confirm(claim, pending, storedAs, ttl).catch(() => undefined);
          })),
          id: id.toString(),
        };
        // Stored and queued: the answer is 200 even if the key's confirmation is lost (its retries
        // then wait out the pending claim, or complete the push again: receivers drop the copy).
        if (claim) {
          await marking;
          await this.idempotency.confirm(claim, storedAs ?? pending, id.toString(), ttl).catch(() => undefined);
        }
      } catch (err) {
        if (claim && storedAs === undefined) await this.idempotency.release(claim, pending).catch(() => undefined);
        throw err;
      }
    } catch (err) {
      this.metrics.pushes.inc({ kind, result: err instanceof RpcError && err.code === GrpcStatus.INVALID_ARGUMENT ? 'invalid' : 'failed' });
      throw err;
    }
    this.metrics.pushes.inc({ kind, result: 'ok' });
    return result;
  }

  /** A retry under a key whose push is stored but was never queued: queues it now, with the stored id and offsets. */
  private async complete(kind: string, claim: string, held: string, run: Run): Promise<PushResult> {
    const parsed = parseStoredValue(held);
    if (!parsed) throw new RpcError(GrpcStatus.INTERNAL, 'the idempotency key holds an unreadable value');
    const sent = await run(parsed.id, () => undefined, parsed.stored);
    await this.idempotency.confirm(claim, held, parsed.id.toString(), this.config.delivery.idempotencyTtlSec).catch(() => undefined);
    this.metrics.pushes.inc({ kind, result: 'completed' });
    return { ...sent, id: parsed.id.toString() };
  }

  /** A pending claim outlives any push in progress (queue timeout included), then frees the key for a retry. */
  private pendingTtlSec(): number {
    return Math.max(10, Math.ceil((this.config.pushTimeoutMs * 3) / 1000));
  }

  private async pushKeysNow(keys: string[], operation: number, body: Uint8Array, id: bigint): Promise<Sent> {
    const servers = await this.sessions.serversByKeys(keys);
    const byServer = new Map<string, string[]>();
    const offline: string[] = [];
    keys.forEach((key, i) => {
      const server = servers[i];
      if (server) byServer.set(server, [...(byServer.get(server) ?? []), key]);
      else offline.push(key);
    });
    const records = [...byServer].map(([server, ks]) => this.pushRecord(server, ks, operation, body, id));
    await this.send(records);
    // A key whose connection went within the resume window keeps the push for the resumed session
    // (still reported offline: it is, and it may never come back).
    await this.resume.hold(offline, { operation, body, messageId: id.toString(), acceptedAtMs: this.clock.now() }).catch(() => undefined);
    return { records: records.length, offline };
  }

  /** Every mid's stream gets the message, online or not: an offline user finds it on reconnect. */
  private async pushMidsNow(mids: number[], operation: number, body: Uint8Array, id: bigint, stored: (a: Array<Appended | undefined>) => void, prior?: Stored): Promise<Sent> {
    // Two independent round trips: where the users are, and their streams' next offsets.
    // Once appended, the message is stored whatever the session lookup does (the key stays held).
    const appending = this.appendOnce(mids.map((mid) => ({ stream: userStream(mid), id, operation, body })), stored, prior);
    const [sessions, appended] = await Promise.all([this.sessions.keysByMids(mids), appending]);
    const byServer = new Map<string, { keys: string[]; positions: Position[] }>();
    mids.forEach((mid, i) => {
      for (const [key, server] of sessions.get(mid) ?? []) {
        const at = byServer.get(server) ?? { keys: [], positions: [] };
        at.keys.push(key);
        const a = appended[i];
        if (a) at.positions.push(position(a));
        byServer.set(server, at);
      }
    });
    const records = [...byServer].map(([server, at]) => this.pushRecord(server, at.keys, operation, body, id, at.positions.length ? at.positions : undefined));
    await this.send(records);
    return { records: records.length, offline: mids.filter((m) => !sessions.has(m)).map(String) };
  }

  private async pushRoomNow(room: string, operation: number, body: Uint8Array, id: bigint, stored: (a: Array<Appended | undefined>) => void, prior?: Stored): Promise<Sent> {
    const [at] = await this.appendOnce([{ stream: roomStream(room), id, operation, body }], stored, prior);
    const value = encodePushMsg({ type: 'ROOM', operation, room, msg: body, acceptedAtMs: this.clock.now(), id: id.toString(), positions: at ? [position(at)] : undefined });
    // Keyed by room: one room's messages share a partition and keep their order.
    await this.send([{ key: room, value }]);
    return { records: 1, offline: [] };
  }

  /**
   * The message's places in its streams: appended now (and `stored` told), or, for a retry that
   * completes an earlier attempt, the ones that attempt stored (none with streams off).
   */
  private async appendOnce(items: Parameters<StreamRepository['append']>[0], stored: (a: Array<Appended | undefined>) => void, prior?: Stored): Promise<Array<Appended | undefined>> {
    if (!prior) {
      const appended = await this.append(items);
      stored(appended);
      return appended;
    }
    if (!this.config.delivery.streams) return items.map(() => undefined);
    return items.map(({ stream }) => {
      const at = prior.get(stream);
      if (!at) throw RpcError.invalid(`this idempotency key was first used for a push that did not include stream ${stream}`);
      return at;
    });
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
  private pushRecord(server: string, keys: string[], operation: number, body: Uint8Array, id: bigint, positions?: Position[]): QueueRecord {
    return {
      key: server,
      value: encodePushMsg({ type: 'PUSH', operation, server, keys, msg: body, acceptedAtMs: this.clock.now(), id: id.toString(), positions }),
    };
  }

  /** With streams off nothing is kept: no positions (undefined), so the records are goim's. */
  private async append(items: Parameters<StreamRepository['append']>[0]): Promise<Array<Appended | undefined>> {
    if (!this.config.delivery.streams) return items.map(() => undefined);
    try {
      return await this.streams.append(items);
    } catch (err) {
      throw RpcError.unavailable(`message history unavailable: ${(err as Error).message}`);
    }
  }

  private async send(records: QueueRecord[]): Promise<void> {
    if (records.length === 0) return;
    const end = this.metrics.queueWrite.startTimer({ topic: 'push' });
    try {
      await this.queue.send(this.config.infra.pushTopic, records);
      end();
    } catch (err) {
      throw RpcError.unavailable(`push queue unavailable: ${(err as Error).message}`);
    }
  }
}
