import type { Logger } from '@imgate/common';
import type { Body, PushOptions, PushResult, UpstreamMessage } from '@imgate/server-client';

/** The operation chat lines reach the room with (the demo page accepts it). */
export const CHAT_OP = 1000;
const SEND_MSG = 4;
const MAX_TEXT = 2_000;
const MAX_NAME = 64;

/** Where the sample pushes: ImgateHttpClient and ImgateGrpcClient both fit. */
export interface RoomPusher {
  pushRoom(room: string, op: number, body: Body, opts?: PushOptions): Promise<PushResult>;
}

/** A chat line as clients send it upstream (op 4, or op 30 with operation 4): `{"text": …, "from": …}`. */
function chatLineOf(body: Buffer): { text: string; from: string } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { text, from } = v as { text?: unknown; from?: unknown };
  if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT) return undefined;
  return { text, from: typeof from === 'string' ? from.slice(0, MAX_NAME) : '' };
}

/**
 * The sample chat service, a business service in miniature: a client's chat line arrives on the
 * upstream topic and goes back out as a push to the room the client is in (op 1000, with the
 * sender's authenticated mid beside the name it chose). It only sees decoded upstream records,
 * so the same class runs on the embedded default's memory queue and on Kafka (UpstreamConsumer).
 * A redelivered record pushes nothing twice: the push's idempotency key is the record's identity.
 */
export class ChatSample {
  constructor(
    private readonly pusher: RoomPusher,
    private readonly logger: Logger,
  ) {}

  async handle(m: UpstreamMessage): Promise<void> {
    if (m.operation !== SEND_MSG || !m.roomId) return;
    const line = chatLineOf(m.body);
    if (!line) return void this.logger.debug({ key: m.key }, 'chat sample: not a chat line; ignored');
    const id = m.clientMsgId ? `${m.mid || m.key}:${m.clientMsgId}` : `${m.key}:${m.seq}:${m.receivedAtMs}`;
    await this.pusher.pushRoom(m.roomId, CHAT_OP, { from: line.from || `user ${m.mid}`, mid: m.mid, text: line.text }, { idempotencyKey: `chat:${id}`.slice(0, 128) });
  }
}
