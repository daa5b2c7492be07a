import { type Body, type DeliveryReport, ImgateApiError, type PushOptions, type PushResult } from './types';

export interface HttpClientOptions {
  /** Logic's HTTP address, e.g. http://logic:3111. */
  url: string;
  /** One of logic's LOGIC_API_KEYS, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  timeoutMs?: number;
}

/**
 * Logic's own JSON API (`/v1/…`) for a business service: push to connections, users, a room or
 * everyone; read online counts and a user's delivery report. Every call sends the API key.
 */
export class ImgateHttpClient {
  private readonly base: string;

  constructor(private readonly opts: HttpClientOptions) {
    this.base = opts.url.replace(/\/+$/, '');
  }

  pushKeys(keys: string[], op: number, body: Body, opts?: PushOptions): Promise<PushResult> {
    return this.push('keys', { keys }, op, body, opts);
  }

  pushMids(mids: number[], op: number, body: Body, opts?: PushOptions): Promise<PushResult> {
    return this.push('mids', { mids }, op, body, opts);
  }

  /** `room` in full, e.g. `live://1000`. */
  pushRoom(room: string, op: number, body: Body, opts?: PushOptions): Promise<PushResult> {
    return this.push('room', { room }, op, body, opts);
  }

  /** `speed`: connections per second, cluster-wide (0 = unpaced). */
  pushAll(op: number, body: Body, opts: PushOptions & { speed?: number } = {}): Promise<PushResult> {
    return this.push('all', { speed: opts.speed ?? 0 }, op, body, opts);
  }

  /** Cluster-wide member counts of the rooms (names in full). */
  roomCounts(rooms: string[]): Promise<Record<string, number>> {
    return this.get(`/v1/online/rooms?${rooms.map((r) => `room=${encodeURIComponent(r)}`).join('&')}`);
  }

  /** Rooms of one type (`live` for `live://…`; '' for all) with the most members. */
  topRooms(type = '', limit = 20): Promise<Array<{ room: string; count: number }>> {
    return this.get(`/v1/online/top?type=${encodeURIComponent(type)}&limit=${limit}`);
  }

  total(): Promise<{ connections: number; ips: number }> {
    return this.get('/v1/online/total');
  }

  delivery(mid: number): Promise<DeliveryReport> {
    return this.get(`/v1/users/${mid}/delivery`);
  }

  private push(kind: string, target: Record<string, unknown>, op: number, body: Body, opts: PushOptions = {}): Promise<PushResult> {
    const payload = typeof body === 'string' ? { body } : body instanceof Uint8Array ? { bodyBase64: Buffer.from(body).toString('base64') } : { body };
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
    return this.request(`/v1/push/${kind}`, { method: 'POST', headers, body: JSON.stringify({ ...target, op, ...payload }) });
  }

  private get<T>(path: string): Promise<T> {
    return this.request(path, { method: 'GET', headers: {} });
  }

  private async request<T>(path: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<T> {
    const headers = { ...init.headers, ...(this.opts.apiKey ? { Authorization: `Bearer ${this.opts.apiKey}` } : {}) };
    const res = await fetch(`${this.base}${path}`, { ...init, headers, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    const text = await res.text();
    if (!res.ok) throw new ImgateApiError(res.status, `${init.method} ${path}: HTTP ${res.status}: ${reasonOf(text)}`);
    return JSON.parse(text) as T;
  }
}

function reasonOf(text: string): string {
  try {
    const v = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } };
    return String(v.error?.message ?? v.message ?? text);
  } catch {
    return text.slice(0, 300);
  }
}
