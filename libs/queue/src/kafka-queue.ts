import type { ConnectionOptions } from 'node:tls';
import { type Consumer, type Kafka as KafkaClient, Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import { type KafkaSecurity, type Logger, tlsConnectOptions } from '@imgate/common';
import type { ConsumedRecord, QueueConsumer } from './queue';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Topics the producer makes sure exist at start, with this many partitions. */
  topics: string[];
  partitions: number;
  /** TLS and SASL towards the brokers (InfraConfig.kafkaSecurity); absent: plaintext. */
  security?: KafkaSecurity;
}

/** kafkajs' `ssl` and `sasl` from the validated settings. */
export function kafkaSecurityOptions(security: KafkaSecurity | undefined): { ssl?: ConnectionOptions; sasl?: SASLOptions } {
  const tls = security?.tls;
  const sasl = security?.sasl;
  return {
    ...(tls ? { ssl: tlsConnectOptions(tls) } : {}),
    ...(sasl ? { sasl: { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions } : {}),
  };
}

/** kafkajs' retry settings for every request of one client (connecting to the brokers included). */
export interface KafkaRetry {
  retries: number;
  maxRetryTime: number;
}

/** How long stop() waits for the consumer to leave its group. */
const STOP_WAIT_MS = 10_000;

const DEFAULT_RETRY: KafkaRetry = { retries: 8, maxRetryTime: 5_000 };

export function createKafka(settings: KafkaSettings, logger: Logger, retry: KafkaRetry = DEFAULT_RETRY): KafkaClient {
  const log = logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ...kafkaSecurityOptions(settings.security),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, ...retry },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // kafkajs logs at WARN and above unless KAFKAJS_LOG_LEVEL asks for more (LOG_LEVEL=debug shows it).
        if (level <= logLevel.ERROR) log.error(rest, message);
        else if (level === logLevel.WARN) log.warn(rest, message);
        else if (level === logLevel.INFO) log.info(rest, message);
        else log.debug(rest, message);
      },
  });
}

export async function ensureTopics(kafka: KafkaClient, topics: string[], partitions: number): Promise<void> {
  if (topics.length === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: partitions })) });
    }
  } finally {
    await admin.disconnect();
  }
}

export interface KafkaConsumerSettings extends KafkaSettings {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  /** Partitions handled in parallel by one member; order still holds within a partition. */
  concurrency: number;
  /** A fetch waits for this many bytes... */
  minBytes: number;
  /** ...or this long, whichever comes first: the batching window. */
  maxWaitMs: number;
  /**
   * The longest pause between two tries to reach the brokers (and to rejoin the group). kafkajs
   * doubles its pause from 200 ms; with a cap of several seconds a consumer whose broker came back
   * sits out most of that cap before it fetches again, and the pushes of those seconds reach the
   * clients only through their catch-up (sync), not live.
   */
  retryMaxMs: number;
}

export class KafkaConsumer implements QueueConsumer {
  private readonly consumer: Consumer;
  private member = false;
  private failure?: string;
  private lagListener?: (partition: number, lag: number) => void;

  onLag(listener: (partition: number, lag: number) => void): void {
    this.lagListener = listener;
  }

  constructor(private readonly settings: KafkaConsumerSettings, private readonly logger: Logger) {
    // The consumer's connection to the brokers retries without end, at most retryMaxMs apart: a
    // client that gives up after its retries crashes the consumer, and kafkajs restarts it under a
    // new member id, which the restarted coordinator then holds in a rebalance until the old id's
    // session times out (a broker restart measured: job fetched again 13 s after the broker was
    // back, and the pushes of those seconds reached clients only through sync). Keeping the member
    // id, the consumer heartbeats on as the member the coordinator reloaded and fetches at once.
    const kafka = createKafka(settings, logger, { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: settings.retryMaxMs });
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      // How long the coordinator waits for members to rejoin in a rebalance (kafkajs' default is
      // 60 s); after a broker restart a member it remembers but that never rejoins (this process
      // under its old member id) must not hold the group that long.
      rebalanceTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(settings.sessionTimeoutMs / 5)),
      minBytes: settings.minBytes,
      maxWaitTimeInMs: settings.maxWaitMs,
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 200, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: settings.retryMaxMs },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.member = true;
      this.failure = undefined;
      this.logger.info({ groupId: settings.groupId }, 'joined consumer group');
    });
    this.consumer.on(this.consumer.events.STOP, () => (this.member = false));
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.member = false;
      this.failure = String(e.payload.error);
      this.logger.error({ err: String(e.payload.error) }, 'consumer crashed; kafkajs restarts it');
    });
  }

  get running(): boolean {
    return this.member;
  }

  /** Why the last start or run failed (e.g. a refused SASL login), for readiness; cleared on joining. */
  get lastError(): string | undefined {
    return this.failure;
  }

  async start(handler: (records: ConsumedRecord[]) => Promise<void>): Promise<void> {
    try {
      await this.run(handler);
    } catch (err) {
      this.failure = (err as Error).message;
      throw err;
    }
  }

  private async run(handler: (records: ConsumedRecord[]) => Promise<void>): Promise<void> {
    await ensureTopics(
      createKafka(this.settings, this.logger),
      [this.settings.topic],
      this.settings.partitions,
    );
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.settings.topic, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: this.settings.concurrency,
      autoCommitInterval: 500,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        const { topic, partition } = batch;
        // Throwing here leaves the offsets unresolved: kafkajs seeks back and redelivers the batch.
        await handler(
          batch.messages.map((m) => ({ topic, partition, offset: m.offset, key: m.key?.toString() ?? '', value: m.value ?? Buffer.alloc(0) })),
        );
        resolveOffset(batch.lastOffset());
        this.lagListener?.(partition, Number(batch.offsetLag()));
        await heartbeat();
      },
    });
  }

  /** Leaves the group; with the brokers away (its retries have no end) it gives up after STOP_WAIT_MS. */
  async stop(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_WAIT_MS)));
    try {
      await Promise.race([this.consumer.disconnect(), waited]);
    } finally {
      clearTimeout(timer);
      this.member = false;
    }
  }
}
