import { BUSINESS_OP_MIN } from '@imgate/protocol';

/** The op-7 body as goim clients send it, plus imgate's token. */
export interface AuthBody {
  mid?: number;
  key?: string;
  roomId: string;
  platform: string;
  accepts: number[];
  token?: string;
  /** Opted in to reliable delivery (docs/delivery.md). */
  delivery: boolean;
  /** The client's name for its device (1-64 printable ASCII). */
  device?: string;
  /** A resume token from an earlier auth reply (docs/protocol.md). */
  resume?: string;
}

export class AuthBodyError extends Error {}

const MAX_BODY = 8 * 1024;
const KEY = /^[A-Za-z0-9_.:-]{1,64}$/;
const ROOM = /^[\x21-\x7e]{0,128}$/;
const PLATFORM = /^[A-Za-z0-9_.-]{0,32}$/;
/** 1-64 printable ASCII characters (0x21-0x7e), as the auth body and a token's `device` claim carry it. */
export const DEVICE = /^[\x21-\x7e]{1,64}$/;
const INT32_MAX = 0x7fffffff;
const MAX_ACCEPTS = 256;

/** Parses and validates the JSON auth body; every rejection names the field. */
export function parseAuthBody(bytes: Uint8Array): AuthBody {
  if (bytes.length > MAX_BODY) throw new AuthBodyError(`auth body is ${bytes.length} bytes, limit ${MAX_BODY}`);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new AuthBodyError('auth body is not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AuthBodyError('auth body must be a JSON object');
  const o = v as Record<string, unknown>;

  const body: AuthBody = { roomId: '', platform: '', accepts: [], delivery: false };
  if (o.mid !== undefined && o.mid !== null) {
    const mid = typeof o.mid === 'string' && /^\d+$/.test(o.mid) ? Number(o.mid) : o.mid;
    if (typeof mid !== 'number' || !Number.isSafeInteger(mid) || mid < 0) throw new AuthBodyError('mid must be a non-negative integer');
    body.mid = mid;
  }
  if (o.key !== undefined && o.key !== null && o.key !== '') {
    if (typeof o.key !== 'string' || !KEY.test(o.key)) throw new AuthBodyError('key must be 1-64 of [A-Za-z0-9_.:-]');
    body.key = o.key;
  }
  if (o.room_id !== undefined && o.room_id !== null) {
    if (typeof o.room_id !== 'string' || !ROOM.test(o.room_id)) throw new AuthBodyError('room_id must be up to 128 printable characters');
    body.roomId = o.room_id;
  }
  if (o.platform !== undefined && o.platform !== null) {
    if (typeof o.platform !== 'string' || !PLATFORM.test(o.platform)) throw new AuthBodyError('platform must be up to 32 of [A-Za-z0-9_.-]');
    body.platform = o.platform;
  }
  if (o.accepts !== undefined && o.accepts !== null) {
    if (!Array.isArray(o.accepts) || o.accepts.length > MAX_ACCEPTS) throw new AuthBodyError(`accepts must be an array of at most ${MAX_ACCEPTS} operations`);
    for (const op of o.accepts) {
      if (!Number.isInteger(op) || (op as number) < BUSINESS_OP_MIN || (op as number) > INT32_MAX) {
        throw new AuthBodyError(`accepts holds ${JSON.stringify(op)}: operations are integers from ${BUSINESS_OP_MIN} to ${INT32_MAX}`);
      }
    }
    body.accepts = [...new Set(o.accepts as number[])];
  }
  if (o.token !== undefined && o.token !== null && o.token !== '') {
    if (typeof o.token !== 'string' || o.token.length > 8192) throw new AuthBodyError('token must be a string of at most 8192 characters');
    body.token = o.token;
  }
  if (o.delivery !== undefined && o.delivery !== null) {
    if (typeof o.delivery !== 'boolean') throw new AuthBodyError('delivery must be true or false');
    body.delivery = o.delivery;
  }
  if (o.device !== undefined && o.device !== null && o.device !== '') {
    if (typeof o.device !== 'string' || !DEVICE.test(o.device)) throw new AuthBodyError('device must be 1-64 printable ASCII characters');
    body.device = o.device;
  }
  if (o.resume !== undefined && o.resume !== null && o.resume !== '') {
    if (typeof o.resume !== 'string' || o.resume.length > 256) throw new AuthBodyError('resume must be the token of an earlier auth reply');
    body.resume = o.resume;
  }
  return body;
}
