import type { Logger } from '@imgate/common';
import type { MemoryQueue } from '@imgate/queue';
import { decodeUpstream, ImgateHttpClient } from '@imgate/server-client';
import { ChatSample } from './chat-sample';

/**
 * The sample chat service inside the embedded default: it consumes the in-memory upstream topic
 * and pushes through logic's HTTP API on loopback with @imgate/server-client, as a separate
 * business service would (with Kafka, the same ChatSample runs on UpstreamConsumer).
 */
export async function startChatSample(opts: { queue: MemoryQueue; topic: string; logicUrl: string; apiKey: string; logger: Logger }): Promise<{ stop(): Promise<void> }> {
  const { logger } = opts;
  const chat = new ChatSample(new ImgateHttpClient({ url: opts.logicUrl, apiKey: opts.apiKey || undefined }), logger);
  const consumer = opts.queue.consumer(opts.topic, logger);
  await consumer.start(async (records) => {
    for (const r of records) {
      let m;
      try {
        m = decodeUpstream(r.value);
      } catch (err) {
        logger.warn({ offset: r.offset, err: (err as Error).message }, 'chat sample: undecodable upstream record skipped');
        continue;
      }
      // A failed push rejects the batch: the memory queue redelivers it (the idempotency key keeps it one push).
      await chat.handle(m);
    }
  });
  logger.info({ topic: opts.topic }, 'chat sample: pushing chat lines from upstream op 4 to their rooms');
  return { stop: () => consumer.stop() };
}
