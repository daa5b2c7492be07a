const RESUME_FIELD = Buffer.from('"resume"');
const TOKEN = /^([A-Za-z0-9_.:-]{1,64})\.[A-Za-z0-9_-]{22}$/;

/** The connection key a resume token in an op-7 body names, or undefined (no token, or not one of ours). */
export function resumeKeyOf(body: Uint8Array): string | undefined {
  if (Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(RESUME_FIELD) < 0) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
    const token = typeof v === 'object' && v !== null ? (v as { resume?: unknown }).resume : undefined;
    return typeof token === 'string' ? TOKEN.exec(token)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Orders a key's Disconnect and a resume of that key on this comet, which would otherwise race at
 * logic (a client that lost its link and came straight back here): a resume waits for a
 * Disconnect of its key still in flight, and a connection that ends while a resume of its key is
 * in flight leaves its Disconnect to the resume's outcome (sent only if the key was not taken).
 */
export class ResumeGate {
  private readonly disconnecting = new Map<string, Promise<unknown>>();
  private readonly resuming = new Map<string, Promise<boolean>>();

  /** Before Connect with a resume of `key`; call the returned function with whether the reply took the key. */
  async beforeResume(key: string): Promise<(tookKey: boolean) => void> {
    await this.disconnecting.get(key);
    let settle!: (took: boolean) => void;
    const done = new Promise<boolean>((r) => (settle = r));
    this.resuming.set(key, done);
    return (took) => {
      if (this.resuming.get(key) === done) this.resuming.delete(key);
      settle(took);
    };
  }

  /** A registered connection with `key` ended: `send` tells logic, unless a resume here takes the key meanwhile. */
  disconnect(key: string, send: () => Promise<unknown>): void {
    const resume = this.resuming.get(key);
    const sent: Promise<unknown> = resume ? resume.then((took) => (took ? undefined : send())) : send();
    this.disconnecting.set(key, sent);
    void sent.finally(() => {
      if (this.disconnecting.get(key) === sent) this.disconnecting.delete(key);
    });
  }
}
