import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock, RpcError } from '@imgate/common';
import { QUEUE_PRODUCER, type QueueProducer } from '@imgate/queue';
import { encodeUpstreamMsg, type logic } from '@imgate/contracts';
import type { LogicConfig } from './logic.config';
import { LOGIC_CONFIG } from './logic.tokens';
import { LogicMetrics } from './logic.metrics';

/** A client's op-4 message, written to the upstream topic for business services to consume. */
@Injectable()
export class UpstreamService {
  constructor(
    @Inject(QUEUE_PRODUCER) private readonly queue: QueueProducer,
    @Inject(LOGIC_CONFIG) private readonly config: LogicConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: LogicMetrics,
  ) {}

  async receive(req: logic.ReceiveReq__Output): Promise<logic.ReceiveReply> {
    if (!req.key) throw RpcError.invalid('key is required');
    if (req.body.length > this.config.upstreamMaxBytes) {
      throw RpcError.invalid(`message is ${req.body.length} bytes, limit ${this.config.upstreamMaxBytes}`);
    }
    const value = encodeUpstreamMsg({ ...req, receivedAtMs: this.clock.now() });
    try {
      // Keyed by user (or by connection for anonymous ones) so a user's messages stay in order.
      const end = this.metrics.queueWrite.startTimer({ topic: 'upstream' });
      const [ack] = await this.queue.send(this.config.infra.upstreamTopic, [{ key: req.mid > 0 ? String(req.mid) : req.key, value }]);
      end();
      return { partition: ack.partition, offset: ack.offset };
    } catch (err) {
      throw RpcError.unavailable(`upstream queue unavailable: ${(err as Error).message}`);
    }
  }
}
