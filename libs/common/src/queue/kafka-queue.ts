import { type Consumer, type Kafka as KafkaClient, Kafka, logLevel, type LogEntry, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from '../logging/logger';
import type { ConsumedRecord, QueueAck, QueueConsumer, QueueProducer, QueueRecord } from './queue';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Topics the producer makes sure exist at start, with this many partitions. */
  topics: string[];
  partitions: number;
}

function createKafka(settings: KafkaSettings, logger: Logger): KafkaClient {
  const log = logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        if (level <= logLevel.ERROR) log.error(rest, message);
        else log.warn(rest, message);
      },
  });
}

async function ensureTopics(kafka: KafkaClient, topics: string[], partitions: number): Promise<void> {
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

export class KafkaProducer implements QueueProducer {
  private readonly kafka: KafkaClient;
  private readonly producer: Producer;

  constructor(private readonly settings: KafkaSettings, logger: Logger) {
    this.kafka = createKafka(settings, logger);
    // Java-compatible murmur2 partitioning, so other Kafka clients agree on key -> partition.
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
  }

  async start(): Promise<void> {
    await ensureTopics(this.kafka, this.settings.topics, this.settings.partitions);
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }

  async send(topic: string, records: QueueRecord[]): Promise<QueueAck[]> {
    const meta = await this.producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({ key: r.key, value: Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength) })),
    });
    return meta.map((m) => ({ partition: m.partition, offset: m.baseOffset ?? m.offset ?? '' }));
  }
}

export interface KafkaConsumerSettings extends KafkaSettings {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  /** Partitions handled in parallel by one member; order still holds within a partition. */
  concurrency: number;
}

export class KafkaConsumer implements QueueConsumer {
  private readonly consumer: Consumer;
  private member = false;

  constructor(private readonly settings: KafkaConsumerSettings, private readonly logger: Logger) {
    const kafka = createKafka(settings, logger);
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(settings.sessionTimeoutMs / 5)),
      allowAutoTopicCreation: false,
      retry: { initialRetryTime: 200, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.member = true;
      this.logger.info({ groupId: settings.groupId }, 'joined consumer group');
    });
    this.consumer.on(this.consumer.events.STOP, () => (this.member = false));
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.member = false;
      this.logger.error({ err: String(e.payload.error) }, 'consumer crashed; kafkajs restarts it');
    });
  }

  get running(): boolean {
    return this.member;
  }

  async start(handler: (record: ConsumedRecord) => Promise<void>): Promise<void> {
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
      eachMessage: async ({ topic, partition, message }) => {
        // Throwing here leaves the offset uncommitted: kafkajs seeks back and redelivers.
        await handler({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value ?? Buffer.alloc(0),
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    this.member = false;
  }
}
