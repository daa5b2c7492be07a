import type { Clock } from './timers.js';

/**
 * Session resume (docs/protocol.md): each auth reply carries a token (`resume`) and its window
 * (`resume_ttl`, seconds). The next auth presents it while it can still work — while connected,
 * and for the window after the link was lost — so the server gives back the same key, rooms and
 * operations on whichever comet the client reaches, and closes the old connection if it lingers.
 * A token is good once: every successful auth brings a new one.
 */
export class ResumeState {
  private token: string | undefined;
  private ttlMs = 0;
  /** When the token stops being worth presenting; Infinity while connected. */
  private usableUntil = 0;

  constructor(
    private readonly clock: Clock,
    private readonly enabled: boolean,
  ) {}

  /** The auth body's `resume` field, when there is a token to present. */
  authFields(): Record<string, unknown> {
    return this.enabled && this.token && this.clock.now() < this.usableUntil ? { resume: this.token } : {};
  }

  /** Keeps the auth reply's token (or forgets the old one: it was spent either way). */
  accepted(reply: Record<string, unknown>): void {
    const ok = typeof reply.resume === 'string' && reply.resume !== '' && typeof reply.resume_ttl === 'number' && reply.resume_ttl > 0;
    this.token = ok ? (reply.resume as string) : undefined;
    this.ttlMs = ok ? (reply.resume_ttl as number) * 1000 : 0;
    this.usableUntil = ok ? Infinity : 0;
  }

  /** The link is gone: the window starts now. */
  lost(): void {
    if (this.usableUntil === Infinity) this.usableUntil = this.clock.now() + this.ttlMs;
  }

  /** A refusal or a kick: nothing to resume. */
  forget(): void {
    this.token = undefined;
    this.usableUntil = 0;
  }
}
