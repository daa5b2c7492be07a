import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, RpcError } from '@imgate/common';
import { QUEUE_PRODUCER, type QueueProducer } from '@imgate/queue';
import { encodeUpstreamMsg, type logic } from '@imgate/contracts';
import type { IdempotencyRepository } from './delivery/idempotency.repository';
import type { LogicConfig } from './logic.config';
import { IDEMPOTENCY_REPOSITORY, LOGIC_CONFIG } from './logic.tokens';
import { LogicMetrics } from './logic.metrics';

const CLIENT_MSG_ID = /^[\x21-\x7e]{1,64}$/;

/**
 * A client's op-4 message (or op 30, with its own id), written to the upstream topic for business
 * services to consume. An op-30 id is claimed per sender first, so a resend writes nothing again.
 */
@Injectable()
export class UpstreamService {
  constructor(
    @Inject(QUEUE_PRODUCER) private readonly queue: QueueProducer,
    @Inject(IDEMPOTENCY_REPOSITORY) private readonly idempotency: IdempotencyRepository,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: LogicMetrics,
  ) {}

  async receive(req: logic.ReceiveReq__Output): Promise<logic.ReceiveReply> {
    if (!req.key) throw RpcError.invalid('key is required');
    if (req.body.length > this.config.upstreamMaxBytes) {
      throw RpcError.invalid(`message is ${req.body.length} bytes, limit ${this.config.upstreamMaxBytes}`);
    }
    if (req.clientMsgId && !CLIENT_MSG_ID.test(req.clientMsgId)) {
      throw RpcError.invalid(`client message id ${JSON.stringify(req.clientMsgId.slice(0, 80))} is not 1-64 printable ASCII characters`);
    }
    // Keyed by user (or by connection for anonymous ones) so a user's messages stay in order.
    const sender = req.mid > 0 ? String(req.mid) : req.key;
    const claim = req.clientMsgId ? `up:${sender}:${req.clientMsgId}` : '';
    if (claim) {
      const held = await this.idempotency.claim(claim, '1', this.config.delivery.idempotencyTtlSec).catch((err: unknown) => {
        throw RpcError.unavailable(`idempotency store unavailable: ${(err as Error).message}`);
      });
      if (!held.first) return { duplicate: true };
    }
    const value = encodeUpstreamMsg({ ...req, receivedAtMs: this.clock.now() });
    try {
      const end = this.metrics.queueWrite.startTimer({ topic: 'upstream' });
      const [ack] = await this.queue.send(this.config.infra.upstreamTopic, [{ key: sender, value }]);
      end();
      return { partition: ack.partition, offset: ack.offset };
    } catch (err) {
      // Nothing was written: a resend under the same id must be.
      if (claim) await this.idempotency.release(claim, '1').catch(() => undefined);
      throw RpcError.unavailable(`upstream queue unavailable: ${(err as Error).message}`);
    }
  }
}
