import { BUSINESS_OP_MIN, Op, type Packet } from '@imgate/protocol';
import { authBody, authReply, connectedEvent } from './auth.js';
import { Backoff } from './backoff.js';
import { Emitter } from './emitter.js';
import { ImgateError, isRefusal } from './errors.js';
import type { ClientEvents, ClientState, ConnectedEvent } from './events.js';
import { AdaptiveHeartbeat, boundsFromAuthReply } from './heartbeat.js';
import { HeartbeatLoop, watchOnline } from './heartbeat-loop.js';
import { Link, type LinkEvents } from './link.js';
import { raceLines } from './lines/line-race.js';
import { type LineSwitchEvent, type ResolvedLineOptions, resolveLineOptions } from './lines/line-switch-event.js';
import { LineSwitcher } from './lines/line-switcher.js';
import { fetchNodes, nodesUrl, suggestedNodes } from './logic-nodes.js';
import { type Candidate, type NodeInfo, NodeList, nodeUrl, parseNodeUrl, type TransportKind } from './node-list.js';
import type { FetchLike, ImgateClientOptions } from './options.js';
import { parseReason, PendingRequests } from './requests.js';
import { ResumeState } from './resume.js';
import { type AuthSnapshot, formatOps, SessionState } from './session-state.js';
import { type Clock, type TimerHandle, type Timers, systemClock, systemTimers } from './timers.js';
import { Delivery } from './streams/delivery.js';
import { Outbox } from './streams/outbox.js';
import type { TransportFactory } from './transport/transport.js';
import { webSocketTransport } from './transport/ws.transport.js';
import { bytesOf, int32At, message, textOf } from './wire.js';

/**
 * The connection lifecycle under ImgateClient: pick a comet (logic's list or the given one, best
 * first, passing over one that just failed), authenticate, keep the link alive with an adaptive
 * heartbeat, and on any loss reconnect with backoff, re-authenticate and restore the session
 * (rooms, operations). A comet that drains (op 20) is left at once for the one it names,
 * make-before-break: its link keeps delivering until the new connection is authenticated.
 */
export abstract class Connector extends Emitter<ClientEvents> {
  protected status: ClientState = 'idle';
  protected readonly session: SessionState;
  protected info: ConnectedEvent | undefined;
  private readonly pending: PendingRequests;
  /** Reliable delivery, when opted in: streams in order, recovery, acks (see Delivery). */
  protected readonly delivery: Delivery | undefined;
  /** Reliable delivery's idempotent sends (op 30), resent after a reconnect until answered. */
  protected readonly outbox: Outbox | undefined;
  private readonly heartbeat: AdaptiveHeartbeat;
  private readonly backoff: Backoff;
  private readonly nodes: NodeList;
  private readonly staticNodes: NodeInfo[];
  private readonly kind: TransportKind;
  private readonly transports: Partial<Record<TransportKind, TransportFactory>>;
  private readonly clock: Clock;
  private readonly timers: Timers;
  private readonly fetchFn: FetchLike | undefined;
  private link: Link | undefined;
  /** A draining comet's link, kept delivering until the connection that replaces it is up. */
  private retiring: Link | undefined;
  private connectTimer: TimerHandle | undefined;
  private readonly heartbeats: HeartbeatLoop;
  private retryTimer: TimerHandle | undefined;
  private attemptId = 0;
  private token: string | undefined;
  private sent: AuthSnapshot | undefined;
  private lastReason = '';
  /** A draining comet named where to go: dial that before asking logic again. */
  private moveHint = false;
  private waiters: Array<{ resolve: (info: ConnectedEvent) => void; reject: (err: ImgateError) => void }> = [];
  private unwatchNetwork: (() => void) | undefined;
  private readonly events: LinkEvents = {
    open: (l) => this.onOpen(l),
    packet: (l, p) => this.onPacket(l, p),
    close: (l, code, reason) => this.drop(l, code, reason),
    migrated: (l, info) => {
      if (l === this.link) this.emit('migrated', info);
    },
  };
  /** Line switching (lines/): races comets at connect, moves to a better one while connected. */
  private readonly lines: LineSwitcher | undefined;
  private readonly lineOptions: ResolvedLineOptions | undefined;
  /** A line switch under way: the new link, authenticating beside the current one. */
  private standby: { link: Link; event: Omit<LineSwitchEvent, 'switchMs'>; at: number; timer: TimerHandle } | undefined;
  private readonly resume: ResumeState;

  constructor(protected readonly options: ImgateClientOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.timers = options.timers ?? systemTimers;
    // Wrapped: browsers refuse a fetch called as a method of anything but the window.
    this.fetchFn = options.fetch ?? (typeof fetch === 'function' ? (url, init) => fetch(url, init) : undefined);
    this.session = new SessionState(options.room ?? '', options.accepts ?? [BUSINESS_OP_MIN]);
    this.pending = new PendingRequests(this.timers);
    this.heartbeat = new AdaptiveHeartbeat(options.heartbeat);
    this.heartbeats = new HeartbeatLoop(this.heartbeat, this.timers, (timeoutMs) => this.request(Op.Heartbeat, new Uint8Array(0), timeoutMs), (reason) => {
      if (this.link) this.drop(this.link, 'heartbeat_timeout', reason);
    });
    this.backoff = new Backoff(options.backoff, options.random);
    this.resume = new ResumeState(this.clock, options.resume !== false);
    this.nodes = new NodeList(options.nodeSkipMs ?? 30_000);
    this.staticNodes = (options.nodes ?? []).map(parseNodeUrl);
    this.nodes.set(this.staticNodes);
    if (!this.staticNodes.length && !options.logicUrl) throw new RangeError('give nodes (comet addresses) or logicUrl (where to ask for them)');
    this.kind = options.transport ?? inferKind(options.nodes?.[0]);
    // wss:// is the same WebSocket; the runtime's (the browser's) does the TLS.
    const webSocket = webSocketTransport(options.WebSocket);
    this.transports = { ws: webSocket, wss: webSocket, ...options.transports };
    if (options.delivery) {
      this.delivery = new Delivery(options.delivery === true ? {} : options.delivery, this.clock, this.timers, {
        send: (op, body, reply) => this.write(op, body, reply),
        // The comet sends every message of the client's streams (offsets have no holes); the app sees the ops it accepts.
        message: (m) => {
          if (this.session.accepts.has(m.op)) this.emit('message', m);
        },
        recoveryFailed: (e) => this.emit('recoveryFailed', e),
        error: (e) => this.emit('error', e),
      });
      this.outbox = new Outbox((op, body) => this.request(op, body));
    }
    this.lineOptions = options.lines ? resolveLineOptions(options.lines) : undefined;
    if (this.lineOptions) {
      this.lines = new LineSwitcher(this.lineOptions, {
        timers: this.timers,
        clock: this.clock,
        dial: (c, events) => this.dial(c, events),
        current: () => (this.status === 'open' ? this.link : undefined),
        candidates: () => this.nodes.candidates(this.kind, this.clock.now()),
        ping: (timeoutMs) => this.request(Op.Heartbeat, new Uint8Array(0), timeoutMs),
        switchTo: (link, event) => void this.switchTo(link, event),
      });
      this.on('connected', () => this.lines?.connected());
      this.on('disconnected', () => this.lines?.stopped());
    }
  }

  get state(): ClientState {
    return this.status;
  }

  /** The current connection, while open. */
  get connection(): ConnectedEvent | undefined {
    return this.info;
  }

  /** Starts connecting (once); resolves at the first connection, rejects only if the client ends (close, kick, refused auth). */
  connect(): Promise<ConnectedEvent> {
    // Waiting first: an attempt can end the client before its first await (no transport, no WebSocket), and connect() must say why.
    const connected = this.whenConnected();
    if (this.status === 'idle') {
      // Browsers say when the network is back; waiting out a backoff then would only delay recovery.
      if (this.options.watchNetwork !== false) this.unwatchNetwork = watchOnline(() => this.retryNow());
      void this.attempt();
    }
    return connected;
  }

  /** Ends the connection and stops reconnecting. */
  close(): void {
    if (this.status === 'closed') return;
    const link = this.link;
    const wasOpen = this.status === 'open';
    this.finish(new ImgateError('closed', 'the client was closed'));
    if (wasOpen && link) this.emit('disconnected', { code: 'closed', reason: 'closed by the client', node: link.url, willReconnect: false });
  }

  /** While waiting to reconnect, tries now (the network is back). The Node hook for what browsers' `online` event does. */
  retryNow(): void {
    if (this.status !== 'waiting') return;
    this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.attempt();
  }

  /** Asks for the room's online count now (an extra op 2, which does not steer the adaptive interval). */
  async refreshOnline(): Promise<number> {
    return int32At((await this.request(Op.Heartbeat, new Uint8Array(0))).body) ?? 0;
  }

  protected whenConnected(): Promise<ConnectedEvent> {
    if (this.status === 'open' && this.info) return Promise.resolve(this.info);
    if (this.status === 'closed') return Promise.reject(new ImgateError('closed', 'the client is closed'));
    const p = new Promise<ConnectedEvent>((resolve, reject) => this.waiters.push({ resolve, reject }));
    // Fire-and-forget connect() followed by close() must not crash Node with an unhandled rejection; awaiting callers still see it.
    p.catch(() => undefined);
    return p;
  }

  protected request(op: number, body: Uint8Array, timeoutMs = this.options.requestTimeoutMs ?? 10_000): Promise<Packet> {
    const link = this.link;
    if (this.status !== 'open' || !link) return Promise.reject(new ImgateError('not_connected', `not connected (${this.status})`));
    return this.pending.request(op, timeoutMs, (seq) => link.send(op, seq, body));
  }

  /** Writes a packet that is no request (seq 0), or one whose reply is handled apart (a fresh seq). False when not open. */
  private write(op: number, body: Uint8Array, reply: boolean): boolean {
    const link = this.link;
    if (this.status !== 'open' || !link) return false;
    link.send(op, reply ? this.pending.nextSeq() : 0, body);
    return true;
  }

  protected confirmRoom(room: string): void {
    if (this.info) this.info = { ...this.info, room };
    void this.refreshOnline().catch(() => undefined);
  }

  // ------------------------------------------------------------------ connecting

  private async attempt(): Promise<void> {
    if (this.status === 'closed') return;
    const id = ++this.attemptId;
    this.status = 'connecting';
    const current = () => id === this.attemptId && this.status === 'connecting';
    if (this.delivery) {
      // Saved positions first: the first connection's sync starts from them.
      await this.delivery.ready;
      if (!current()) return;
    }
    if (this.options.logicUrl && !this.moveHint && this.fetchFn) {
      const url = nodesUrl(this.options.logicUrl);
      try {
        this.nodes.set([...(await fetchNodes(this.fetchFn, url, this.timers, this.options.nodesTimeoutMs ?? 3_000)), ...this.staticNodes]);
      } catch (err) {
        // Keep the last list (and the static fallbacks): logic being away must not keep clients off comets.
        this.lastReason = `node list from ${url}: ${(err as Error).message}`;
      }
      if (!current()) return;
    }
    const candidate = this.nodes.pick(this.kind, this.clock.now());
    if (!candidate) return this.retry(`no node offers ${this.kind}${this.lastReason ? ` (${this.lastReason})` : ''}`);
    try {
      this.token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    } catch (err) {
      if (current()) this.retry(`token: ${(err as Error).message}`);
      return;
    }
    if (!current()) return;
    if (!this.transports[this.kind]) return this.finish(new ImgateError('no_transport', `no ${this.kind} transport in this build (the browser entry has WebSocket only)`));
    const raced = this.lines && !this.moveHint ? await this.race() : undefined;
    if (!current()) return void raced?.close();
    let link: Link;
    try {
      link = raced ?? this.dial(candidate, this.events);
    } catch (err) {
      // No WebSocket implementation at all is this runtime's lack, not the node's: no retry can help.
      if (err instanceof ImgateError && err.code === 'no_websocket') return this.finish(err);
      this.nodes.markFailed(candidate.address, this.clock.now());
      return this.retry(`${candidate.address}: ${(err as Error).message}`);
    }
    this.link = link;
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    this.connectTimer = this.timers.setTimeout(() => this.drop(link, 'connect_timeout', `no auth reply from ${link.url} within ${timeoutMs} ms`), timeoutMs);
    if (raced) this.onOpen(link);
  }

  private dial(candidate: Candidate, events: LinkEvents): Link {
    return new Link(candidate, this.kind, this.options.checksum ?? false, this.transports[this.kind]!, events);
  }

  /** Line probing: the first of the candidates to answer a probe, its link already open; undefined to dial as usual. */
  private async race(): Promise<Link | undefined> {
    const o = this.lineOptions!;
    const candidates = this.nodes.candidates(this.kind, this.clock.now()).slice(0, o.candidates);
    if (candidates.length < 2) return undefined;
    const r = await raceLines(candidates, { dial: (c, e) => this.dial(c, e), timers: this.timers, clock: this.clock }, o.probeTimeoutMs);
    if (!r.winner) return undefined;
    r.winner.link.handOver(this.events);
    this.emit('linesProbed', { chosen: r.winner.link.url, probed: r.probed });
    return r.winner.link;
  }

  private onOpen(link: Link): void {
    if (link !== this.link) return;
    this.sent = this.session.snapshot();
    link.send(Op.Auth, this.pending.nextSeq(), authBody(this.sent, this.options, this.token, { ...this.delivery?.authFields(), ...this.resume.authFields() }));
  }

  private onAuthReply(link: Link, p: Packet): void {
    const reply = authReply(p.body);
    link.authenticated(reply);
    this.resume.accepted(reply);
    this.timers.clearTimeout(this.connectTimer);
    this.retire();
    this.status = 'open';
    this.backoff.connected(this.clock.now());
    this.nodes.markOk(link.candidate.address);
    this.moveHint = false;
    this.heartbeat.configure(boundsFromAuthReply(reply, this.heartbeat.fallbackSec));
    const sent = this.sent ?? this.session.snapshot();
    const info = (this.info = connectedEvent(reply, link, sent, this.options.mid, this.heartbeat.intervalMs));
    this.restore(sent);
    // After the rooms' restore requests, so the sync may name the rooms they bring back.
    this.delivery?.connected(reply);
    this.outbox?.connected();
    this.heartbeats.start();
    void this.refreshOnline().catch(() => undefined);
    this.emit('connected', info);
    for (const w of this.waiters.splice(0)) w.resolve(info);
  }

  /** Brings the new connection to the asked-for state: what changed since the auth was sent, and the extra rooms. */
  private restore(sent: AuthSnapshot): void {
    const plan = this.session.restorePlan(sent);
    const report = (op: Op, undo?: () => void) => (err: unknown) => {
      if (!isRefusal(err)) return;
      undo?.();
      this.emit('error', { code: err.code, reason: err.message, op });
    };
    if (plan.changeRoom !== undefined) this.request(Op.ChangeRoom, bytesOf(plan.changeRoom)).then((r) => this.confirmRoom(textOf(r.body)), report(Op.ChangeRoom));
    for (const room of plan.join) this.request(Op.JoinRoom, bytesOf(room)).catch(report(Op.JoinRoom, () => this.session.extraRooms.delete(room)));
    if (plan.subscribe.length) this.request(Op.Sub, bytesOf(formatOps(plan.subscribe))).catch(report(Op.Sub));
    if (plan.unsubscribe.length) this.request(Op.Unsub, bytesOf(formatOps(plan.unsubscribe))).catch(report(Op.Unsub));
  }

  // ------------------------------------------------------------------ while open

  private onPacket(link: Link, p: Packet): void {
    if (link === this.standby?.link) return this.onStandbyPacket(link, p);
    if (link === this.retiring) {
      // Moving away: what the draining comet still pushes is still the application's, and so are replies to requests sent on it.
      if (this.pending.settle(p) || this.delivery?.packet(p)) return;
      if (p.op >= BUSINESS_OP_MIN) this.emit('message', message(p));
      return;
    }
    if (link !== this.link) return;
    if (this.status === 'connecting') {
      if (p.op === Op.AuthReply) return this.onAuthReply(link, p);
      if (p.op === Op.DisconnectReply || p.op === Op.Kick || p.op === Op.Reconnect) return this.onServerGoodbye(link, p);
      return; // nothing else is meaningful before the auth reply
    }
    switch (p.op) {
      case Op.HeartbeatReply: {
        this.pending.settle(p);
        const count = int32At(p.body);
        if (count !== undefined && this.info) this.emit('online', { room: this.info.room, count });
        return;
      }
      case Op.Error:
        if (!this.pending.settle(p)) this.emit('error', parseReason(p.body));
        return;
      case Op.DisconnectReply:
      case Op.Reconnect:
      case Op.Kick:
        return this.onServerGoodbye(link, p);
      default:
        if (this.pending.settle(p) || this.delivery?.packet(p)) return;
        // Late replies to our own requests are not news; anything else is the application's.
        if (p.op >= BUSINESS_OP_MIN || Op[p.op] === undefined) this.emit('message', message(p));
    }
  }

  /** Op 6 (disconnect), 20 (move to another node) and 21 (kick). */
  private onServerGoodbye(link: Link, p: Packet): void {
    const { code, reason } = parseReason(p.body);
    if (p.op === Op.Kick) {
      this.emit('kicked', { code, reason });
      // A kick is final (an admin, a newer login, a revoked token) unless the application opted in.
      return this.drop(link, code, reason, { fatal: this.options.reconnectOnKick !== true });
    }
    if (p.op === Op.Reconnect) {
      const suggested = suggestedNodes(p.body, link.candidate.address);
      if (suggested.length) this.nodes.preferFirst(suggested);
      this.moveHint = suggested.length > 0;
      return this.drop(link, code === 'unknown' ? 'reconnect' : code, reason, { immediate: true, keep: this.status === 'open' });
    }
    // A static token the server refused will be refused again; a token function may refresh it.
    this.drop(link, code, reason, { fatal: code === 'auth_failed' && typeof this.options.token !== 'function' });
  }

  // ------------------------------------------------------------------ losing the link

  /**
   * The link ended (or must end): report, and reconnect unless the end is final. `keep`: the
   * server asked to move, so the link stays open (retiring) until the next one is up.
   */
  private drop(link: Link, code: string, reason: string, how: { fatal?: boolean; immediate?: boolean; keep?: boolean } = {}): void {
    if (link === this.standby?.link) return this.dropStandby();
    if (link === this.retiring) {
      this.retiring = undefined;
      return;
    }
    if (link !== this.link) return;
    this.link = undefined;
    this.dropStandby();
    if (how.keep) {
      this.retire();
      this.retiring = link;
    } else link.close();
    this.timers.clearTimeout(this.connectTimer);
    this.heartbeats.stop();
    this.delivery?.disconnected();
    if (how.fatal) this.resume.forget();
    else this.resume.lost();
    const wasOpen = this.status === 'open';
    const now = this.clock.now();
    this.info = undefined;
    this.lastReason = `${code}: ${reason}`;
    this.nodes.markFailed(link.candidate.address, now);
    if (wasOpen) this.backoff.disconnected(now);
    this.pending.failAll(new ImgateError('disconnected', `connection ended (${code}: ${reason})`));
    if (wasOpen || how.fatal) this.emit('disconnected', { code, reason, node: link.url, willReconnect: !how.fatal });
    if (this.status === 'closed') return; // a listener closed the client
    if (how.fatal) return this.finish(new ImgateError(code, reason));
    this.retry(this.lastReason, how.immediate ? 0 : undefined);
  }

  private retry(reason: string, delayMs?: number): void {
    const delay = delayMs ?? this.backoff.next();
    this.status = 'waiting';
    this.lastReason = reason;
    const next = this.nodes.pick(this.kind, this.clock.now() + delay);
    this.emit('reconnecting', { attempt: this.backoff.attempt, delayMs: delay, node: next && nodeUrl(this.kind, next.address), reason });
    if (this.status !== 'waiting') return;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = undefined;
      void this.attempt();
    }, delay);
  }

  // ------------------------------------------------------------------ line switching (see lines/)

  /** Make-before-break: authenticates `link` (open, probed) beside the current connection, which serves until the new one is up. */
  private async switchTo(link: Link, event: Omit<LineSwitchEvent, 'switchMs'>): Promise<void> {
    if (this.status !== 'open' || this.standby) return link.close();
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    this.standby = { link, event, at: this.clock.now(), timer: this.timers.setTimeout(() => this.dropStandby(), timeoutMs) };
    link.handOver(this.events);
    let token: string | undefined;
    try {
      token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    } catch {
      return this.dropStandby();
    }
    if (this.standby?.link !== link || this.status !== 'open') return;
    this.token = token;
    this.sent = this.session.snapshot();
    // With a resume token the new line keeps the key (the server then closes the old connection, `replaced`).
    link.send(Op.Auth, this.pending.nextSeq(), authBody(this.sent, this.options, token, { ...this.delivery?.authFields(), ...this.resume.authFields() }));
  }

  /** The new line answered its auth: it becomes the connection; the old one keeps delivering briefly, then closes. */
  private onStandbyPacket(link: Link, p: Packet): void {
    const s = this.standby!;
    if (p.op !== Op.AuthReply) {
      if (p.op === Op.DisconnectReply || p.op === Op.Kick || p.op === Op.Reconnect) this.dropStandby();
      return;
    }
    this.timers.clearTimeout(s.timer);
    this.standby = undefined;
    const old = this.link;
    this.link = link;
    this.onAuthReply(link, p);
    if (old) {
      // Replies to requests sent on it and pushes already under way still land; reliable delivery syncs the rest on the new line.
      this.retiring = old;
      this.timers.setTimeout(() => {
        if (this.retiring === old) this.retire();
      }, 2_000);
    }
    this.lines?.switched();
    this.emit('lineSwitch', { ...s.event, switchMs: this.clock.now() - s.at });
  }

  private dropStandby(): void {
    const s = this.standby;
    if (!s) return;
    this.standby = undefined;
    this.timers.clearTimeout(s.timer);
    s.link.close();
  }

  /** KCP: moves the connection to a new local socket (bound to `localAddress`) and proves its session from there. */
  protected rebindLink(localAddress?: string): boolean {
    return this.status === 'open' && !!this.link?.rebind(localAddress);
  }

  private retire(): void {
    this.retiring?.close();
    this.retiring = undefined;
  }

  private finish(err: ImgateError): void {
    // Before the link goes: the last ack rides on it.
    void this.delivery?.close();
    this.status = 'closed';
    this.dropStandby();
    this.retire();
    const link = this.link;
    this.link = undefined;
    link?.close();
    this.info = undefined;
    this.timers.clearTimeout(this.connectTimer);
    this.heartbeats.stop();
    this.timers.clearTimeout(this.retryTimer);
    this.unwatchNetwork?.();
    this.pending.failAll(new ImgateError('closed', err.message));
    this.outbox?.failAll(new ImgateError('closed', err.message));
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}

function inferKind(url: string | undefined): TransportKind {
  if (!url) return 'ws';
  const node = parseNodeUrl(url);
  return (['wss', 'tcp', 'tls', 'kcp'] as const).find((k) => node[k]) ?? 'ws';
}
