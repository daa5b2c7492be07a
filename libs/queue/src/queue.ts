export interface QueueRecord {
  /** Records with the same key keep their order (Kafka: same partition). */
  key: string;
  value: Uint8Array;
}

export interface QueueAck {
  partition: number;
  offset: string;
}

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: Uint8Array;
}

/** Writes records; the promise settles only once the queue has durably accepted them. */
export interface QueueProducer {
  start(): Promise<void>;
  stop(): Promise<void>;
  send(topic: string, records: QueueRecord[]): Promise<QueueAck[]>;
  /** Records waiting to be written (queued or in flight), where the producer keeps a queue. */
  readonly depth?: number;
}

/**
 * Delivers records to a handler in batches (whatever one fetch brought), in order per key. A
 * batch counts as consumed (its offsets are committed) only after the handler's promise
 * resolves; a rejection redelivers it.
 */
export interface QueueConsumer {
  start(handler: (records: ConsumedRecord[]) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  /** True while the consumer is a member of its group and fetching. */
  readonly running: boolean;
  /** Told after each batch how far behind the end of that partition the consumer is (where known). */
  onLag?(listener: (partition: number, lag: number) => void): void;
}

export const QUEUE_PRODUCER = Symbol('QUEUE_PRODUCER');
export const QUEUE_CONSUMER = Symbol('QUEUE_CONSUMER');

/** The queue is away or full: the write was refused (or not acknowledged in time) and may be retried. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}
