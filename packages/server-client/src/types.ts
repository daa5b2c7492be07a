/** What a push accepted: the queue records written, receivers offline, and the message id. */
export interface PushResult {
  /** Queue records written (one per comet that holds receivers). */
  records: number;
  /** Receivers not online anywhere (keys, or mids as strings). */
  offline: string[];
  /** The push's message id (snowflake, decimal: it passes 2^53). */
  id: string;
  /** An earlier push with the same idempotency key had this id; nothing was pushed again. */
  duplicate?: boolean;
}

/** A message body: text (UTF-8), bytes, or a value sent as JSON. */
export type Body = string | Uint8Array | Record<string, unknown> | unknown[];

export interface PushOptions {
  /** The same key within logic's idempotency window returns the first push's id and pushes nothing. */
  idempotencyKey?: string;
}

/** Per device: what it acked of the user's stream, and how much it has not got yet. */
export interface DeliveryReport {
  stream: string;
  epoch: number;
  head: number;
  devices: Array<{ device: string; acked: number; undelivered: number; lastAckMs: number }>;
}

/** A push refused or failed: the HTTP status or gRPC code, and logic's reason. */
export class ImgateApiError extends Error {
  constructor(
    /** HTTP status (HTTP client) or gRPC status code (gRPC client). */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ImgateApiError';
  }
}

const utf8 = new TextEncoder();

/** A body as bytes: text as UTF-8, a JSON value serialized. */
export function bodyBytes(body: Body): Uint8Array {
  if (typeof body === 'string') return utf8.encode(body);
  if (body instanceof Uint8Array) return body;
  return utf8.encode(JSON.stringify(body));
}
