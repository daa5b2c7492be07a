import type { Logger } from '@imgate/common';
import type { ConsumedRecord, QueueAck, QueueConsumer, QueueProducer, QueueRecord } from './queue';

interface Topic {
  records: ConsumedRecord[];
  next: number;
  wake?: () => void;
}

/**
 * The embedded default's queue: one in-process log per topic, consumed in order, with the same
 * redeliver-until-the-handler-succeeds contract as Kafka. A topic nobody consumes (upstream in
 * embedded mode) keeps only its newest `backlog` records so memory stays bounded.
 */
export class MemoryQueue implements QueueProducer {
  private readonly topics = new Map<string, Topic>();
  private offset = 0;

  constructor(private readonly backlog = 10_000) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  topic(name: string): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = { records: [], next: 0 };
      this.topics.set(name, t);
    }
    return t;
  }

  async send(topic: string, records: QueueRecord[]): Promise<QueueAck[]> {
    const t = this.topic(topic);
    const acks: QueueAck[] = [];
    for (const r of records) {
      const offset = String(this.offset++);
      t.records.push({ topic, partition: 0, offset, key: r.key, value: r.value });
      acks.push({ partition: 0, offset });
    }
    const overflow = t.records.length - this.backlog;
    if (overflow > 0) {
      t.records.splice(0, overflow);
      t.next = Math.max(0, t.next - overflow);
    }
    t.wake?.();
    return acks;
  }

  consumer(topic: string, logger: Logger): QueueConsumer {
    return new MemoryConsumer(this, topic, logger);
  }
}

class MemoryConsumer implements QueueConsumer {
  private stopped = true;
  private loop?: Promise<void>;

  constructor(
    private readonly queue: MemoryQueue,
    private readonly topicName: string,
    private readonly logger: Logger,
  ) {}

  get running(): boolean {
    return !this.stopped;
  }

  async start(handler: (records: ConsumedRecord[]) => Promise<void>): Promise<void> {
    this.stopped = false;
    this.loop = this.consume(handler);
  }

  private async consume(handler: (records: ConsumedRecord[]) => Promise<void>): Promise<void> {
    const t = this.queue.topic(this.topicName);
    let backoff = 50;
    while (!this.stopped) {
      const batch = t.records.slice(t.next, t.next + 1_000);
      if (batch.length === 0) {
        await new Promise<void>((resolve) => (t.wake = resolve));
        t.wake = undefined;
        continue;
      }
      try {
        await handler(batch);
        t.next += batch.length;
        // Consumed records are dropped from the head in chunks to keep the array short.
        if (t.next >= 1024) {
          t.records.splice(0, t.next);
          t.next = 0;
        }
        backoff = 50;
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, offset: batch[0].offset }, 'handler failed; redelivering');
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 2_000);
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.topic(this.topicName).wake?.();
    await this.loop;
  }
}
