import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { decodeUpstream, type UpstreamMessage } from './upstream';

export interface UpstreamConsumerOptions {
  brokers: string[];
  /** The upstream topic (KAFKA_UPSTREAM_TOPIC, default imgate-upstream). */
  topic?: string;
  /** Your service's consumer group: instances in one group share the partitions. */
  groupId: string;
  clientId?: string;
  /** TLS and SASL as kafkajs takes them. */
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  /** Start from the oldest record when the group has no committed offset (default: only new ones). */
  fromBeginning?: boolean;
}

export type UpstreamHandler = (message: UpstreamMessage) => Promise<void>;

/**
 * Consumes the upstream topic (clients' op-4 / op-30 / business-op messages) as decoded records.
 * A record's offset is committed only after the handler resolved; a rejection is retried
 * (kafkajs' retry), so the handler should be idempotent (`clientMsgId` helps). A record that is not
 * an UpstreamMsg is skipped and reported to `onBadRecord`.
 */
export class UpstreamConsumer {
  private readonly kafka: Kafka;
  private consumer?: ReturnType<Kafka['consumer']>;

  constructor(
    private readonly opts: UpstreamConsumerOptions,
    private readonly onBadRecord: (err: Error, offset: string) => void = () => undefined,
  ) {
    this.kafka = new Kafka({ clientId: opts.clientId ?? 'imgate-server-client', brokers: opts.brokers, ssl: opts.ssl, sasl: opts.sasl, logLevel: logLevel.WARN });
  }

  async run(handler: UpstreamHandler): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.opts.groupId });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.opts.topic ?? 'imgate-upstream', fromBeginning: this.opts.fromBeginning ?? false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        let decoded: UpstreamMessage;
        try {
          decoded = decodeUpstream(message.value);
        } catch (err) {
          return this.onBadRecord(err as Error, message.offset);
        }
        await handler(decoded);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
