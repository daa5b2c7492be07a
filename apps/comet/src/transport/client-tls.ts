import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { LOGGER, type Logger } from '@imgate/common';
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import { TLSSocket } from 'node:tls';
import type { CometConfig, CometTlsConfig } from '../comet.config';
import { CometMetrics } from '../comet.metrics';
import { COMET_CONFIG } from '../comet.tokens';
import { type KeyPair, KeyPairError, keyPairOf, loadKeyPair } from './tls-key-pair';

export type TlsListenerName = 'wss' | 'tls';

/** A failed handshake's reason, from OpenSSL's code, for a metric label with few values. */
function failureReason(err: NodeJS.ErrnoException): string {
  const what = `${err.code ?? ''} ${err.message}`;
  if (/WRONG_VERSION_NUMBER|HTTP_REQUEST|PACKET_LENGTH|UNKNOWN_PROTOCOL|wrong version|http request/i.test(what)) return 'not_tls';
  if (/UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|unknown ca|bad certificate/i.test(what)) return 'untrusted';
  if (/ECONNRESET|EPIPE|socket hang up/i.test(what)) return 'reset';
  return 'other';
}

/**
 * Client TLS (COMET_TLS_CERT/KEY): the certificate being served, kept fresh, and the handshake
 * that turns an accepted socket into a TLS one for the listeners (WSS, TLS over TCP).
 *
 * The files are watched (their folders, so renames and Kubernetes' symlink swaps are seen too,
 * plus a slow periodic check); after a quiet `reloadDebounceMs` the pair is read again. A pair
 * that does not load (half-written, key of another certificate) is refused with its reason and
 * the old one kept; a new one serves every handshake from then on. Live connections keep the
 * session they negotiated: nothing about them changes.
 */
@Injectable()
export class ClientTls implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly config: CometTlsConfig | undefined;
  private pair: KeyPair | undefined;
  /** The last refused files' bytes (or read error): the same bad pair is reported once, not at every check. */
  private refused = '';
  private readonly watchers: FSWatcher[] = [];
  private debounce?: NodeJS.Timeout;
  private check?: NodeJS.Timeout;

  constructor(
    @Inject(COMET_CONFIG) config: CometConfig,
    private readonly metrics: CometMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.config = config.tls;
    // Checked at boot by the config; read again here so the context is this process's own.
    if (this.config) this.serve(loadKeyPair(this.config.certFile, this.config.keyFile));
  }

  get enabled(): boolean {
    return this.pair !== undefined;
  }

  /** SHA-256 fingerprint of the certificate new handshakes get. */
  get fingerprint(): string | undefined {
    return this.pair?.fingerprint;
  }

  /**
   * The TLS handshake on `socket` (server side), with the current certificate. `head` is what
   * was already read from it (the ClientHello's start, after a PROXY header): it goes back in
   * front of the rest. `ready` gets the secure socket; a failed or slow handshake destroys the
   * socket, counted by reason.
   */
  secure(socket: Socket, head: Buffer | undefined, listener: TlsListenerName, timeoutMs: number, ready: (tls: TLSSocket) => void): void {
    if (!this.pair) throw new Error('client TLS is not configured');
    // Out of flowing mode first (the PROXY gate read in it): else the unshifted bytes would be
    // emitted to no one. TLSSocket takes what the socket holds before its own reads.
    socket.pause();
    if (head?.length) socket.unshift(head);
    const tls = new TLSSocket(socket, { isServer: true, secureContext: this.pair.context });
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      this.metrics.tlsHandshakeFailures.inc({ listener, reason });
      tls.destroy();
      socket.destroy();
    };
    const timer = setTimeout(() => fail('timeout'), timeoutMs).unref();
    // The first of error, close or timeout is the reason; destroying then closes (counted once).
    // Errors after the handshake (a reset mid-session) land here too, ignored: the connection
    // learns of them from 'close'.
    tls.on('error', (err: Error) => fail(failureReason(err)));
    tls.once('close', () => fail('reset'));
    tls.once('secure', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ready(tls);
    });
  }

  onApplicationBootstrap(): void {
    const c = this.config;
    if (!c) return;
    for (const dir of new Set([dirname(c.certFile), dirname(c.keyFile)])) {
      try {
        const w = watch(dir, { persistent: false }, () => this.changed());
        w.on('error', (err) => this.logger.warn({ dir, err: err.message }, 'TLS certificate folder watch failed; the periodic check still reloads'));
        this.watchers.push(w);
      } catch (err) {
        this.logger.warn({ dir, err: (err as Error).message }, 'cannot watch the TLS certificate folder; the periodic check reloads');
      }
    }
    this.check = setInterval(() => this.reload(), c.reloadCheckMs).unref();
    this.logger.info({ cert: c.certFile, fingerprint: this.fingerprint, notAfter: new Date(this.pair!.notAfter).toISOString() }, 'client TLS certificate loaded');
  }

  onApplicationShutdown(): void {
    clearTimeout(this.debounce);
    clearInterval(this.check);
    for (const w of this.watchers.splice(0)) w.close();
  }

  private changed(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.reload(), this.config!.reloadDebounceMs).unref();
  }

  /** Reads the pair again; serves it when it changed and loads, keeps the old one otherwise. */
  reload(): void {
    const c = this.config;
    if (!c || !this.pair) return;
    const started = performance.now();
    let next: KeyPair;
    let seen = '';
    try {
      const certPem = readFileSync(c.certFile);
      const keyPem = readFileSync(c.keyFile);
      if (certPem.equals(this.pair.certPem) && keyPem.equals(this.pair.keyPem)) return;
      seen = `${certPem.toString('base64')}|${keyPem.toString('base64')}`;
      if (seen === this.refused) return;
      next = keyPairOf(certPem, keyPem);
    } catch (err) {
      const reason = err instanceof KeyPairError ? `${err.file === 'pair' ? 'key and certificate do not match' : `${err.file} file`}: ${err.message}` : (err as Error).message;
      seen ||= reason;
      if (seen === this.refused) return;
      this.refused = seen;
      this.metrics.tlsReloads.inc({ result: 'failed' });
      this.logger.warn({ cert: c.certFile, key: c.keyFile, reason, fingerprint: this.pair.fingerprint }, 'client TLS certificate reload refused; still serving the previous one');
      return;
    }
    this.refused = '';
    const previous = this.pair.fingerprint;
    this.serve(next);
    this.metrics.tlsReloads.inc({ result: 'ok' });
    this.logger.info({ previous, fingerprint: next.fingerprint, notAfter: new Date(next.notAfter).toISOString(), ms: Math.round(performance.now() - started) }, 'client TLS certificate reloaded');
  }

  private serve(pair: KeyPair): void {
    this.pair = pair;
    this.metrics.tlsCertNotAfter.set(Math.floor(pair.notAfter / 1000));
  }
}
