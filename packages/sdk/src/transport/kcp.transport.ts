import { createSocket, type Socket } from 'node:dgram';
import { createHmac, randomInt } from 'node:crypto';
import { CMD_FIN, CMD_KICK, CMD_RECONNECT, decodeControl, decodeMigration, encodeFin, type HmacSha256, Kcp, MIGRATE_PROVE } from '@imgate/kcp';
import { parseHostPort } from '../node-list.js';
import { KcpMigrator, type MigratorOptions } from './kcp-migrator.js';
import { onceClosed, type TransportFactory } from './transport.js';

export interface KcpTransportOptions {
  /** Picks the conversation id; default a random non-zero u32. */
  conv?: () => number;
  /** ikcp_nodelay(nodelay, interval, resend, nc); default the "fast" profile (1, 10, 2, 1). */
  nodelay?: [nodelay: number, interval: number, resend: number, nc: number];
  /** Send and receive windows in segments; default 128 each. */
  window?: [snd: number, rcv: number];
  mtu?: number;
  /** Byte-stream mode (ikcp's `stream`); default true: packets are a byte stream, as over TCP. */
  stream?: boolean;
  /** Local address to bind (default: any). */
  localAddress?: string;
  /** Connection migration: when to prove the session from a new address (see KcpMigrator). */
  migration?: MigratorOptions;
}

const hmacSha256: HmacSha256 = (key, message) => createHmac('sha256', key).update(message).digest();

/**
 * KCP over UDP (`host:3103`): the packet stream of TCP carried by the pure KCP engine
 * (wire-compatible with ikcp), driven here by a dgram socket and a timer. The comet's extension
 * commands end the link: KICK and RECONNECT from the server, FIN both ways. With an imgate conv
 * the session survives a new local socket or a NAT rebinding: the client proves it with a NEW
 * (ver 2) and the comet moves the session (docs/protocol.md, KCP). Node only.
 */
export function kcpTransport(opts: KcpTransportOptions = {}): TransportFactory {
  return (address, handlers) => {
    const { host, port } = parseHostPort(address);
    const h = onceClosed(handlers);
    // Convs from 0x80000000 up mark imgate peers: only they may be sent extension commands (FIN, KICK, RECONNECT).
    const conv = opts.conv?.() ?? randomInt(0x80000000, 0x100000000);
    let socket: Socket | undefined;
    let sent = 0;
    const kcp = new Kcp(conv, (datagram) => {
      sent++;
      socket?.send(datagram);
    }, { stream: opts.stream ?? true });
    const [nodelay, interval, resend, nc] = opts.nodelay ?? [1, 10, 2, 1];
    kcp.setNodelay(nodelay, interval, resend, nc);
    kcp.setWndSize(...(opts.window ?? [128, 128]));
    if (opts.mtu) kcp.setMtu(opts.mtu);
    const migrator = new KcpMigrator(conv, hmacSha256, Date.now(), opts.migration);
    let timer: NodeJS.Timeout | undefined;
    let closed = false;

    const stop = (reason?: string) => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      socket?.close();
      socket = undefined;
      if (reason !== undefined) h.close(reason);
    };
    const drain = () => {
      for (let m = kcp.recv(); m !== null && !closed; m = kcp.recv()) h.data(m);
    };
    const sendRaw = (datagram: Uint8Array | undefined) => {
      if (datagram) socket?.send(datagram);
    };
    /** Runs the engine's clock: update now, then sleep until check() (or a due NEW) says it is needed again. */
    const tick = () => {
      if (closed) return;
      const now = Date.now();
      kcp.update(now >>> 0);
      if (kcp.deadLink) return stop('kcp: dead link (a segment went unacknowledged too often)');
      const inFlight = kcp.waitSnd() > 0;
      sendRaw(migrator.due(now, inFlight));
      const wait = Math.max(1, (kcp.check(Date.now() >>> 0) - (Date.now() >>> 0)) | 0);
      timer = setTimeout(tick, Math.max(1, Math.min(wait, 100, migrator.nextDueIn(Date.now(), inFlight))));
    };

    const receive = (msg: Buffer) => {
      const datagram = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
      const migration = decodeMigration(datagram);
      if (migration) {
        if (migration.conv !== conv) return;
        migrator.heard(Date.now());
        if (migration.ver === MIGRATE_PROVE) return sendRaw(migrator.start('asked', Date.now()));
        const done = migrator.acked(migration, Date.now());
        if (done) {
          // The comet sends to the new address now: what waits for an ack goes again at once.
          kcp.pathChanged();
          kcp.flush();
          if (done.moved || done.cause === 'rebind') h.migrated?.(done);
        }
        return;
      }
      const control = decodeControl(datagram);
      if (control && control.conv === conv) {
        if (control.cmd === CMD_KICK) return stop(`kcp: kicked by the server (${control.code}${control.reason ? `: ${control.reason}` : ''})`);
        if (control.cmd === CMD_RECONNECT) return stop('kcp: the server does not know this session');
        if (control.cmd === CMD_FIN) return stop('kcp: the server closed the session');
        return;
      }
      if (kcp.input(datagram) < 0) return; // another conv, or garbage: not ours
      migrator.heard(Date.now());
      drain();
      kcp.flush(); // acknowledge promptly instead of at the next tick
    };

    /** A socket bound to `local` (or any) and connected to the comet; the old one is closed once it is ready. */
    const open = (local: string | undefined, ready: () => void) => {
      const next = createSocket(host.includes(':') ? 'udp6' : 'udp4');
      next.on('message', (msg: Buffer) => {
        if (next === socket) receive(msg);
      });
      next.on('error', (err) => {
        if (next === socket) stop(`kcp: ${err.message}`);
      });
      const connect = () =>
        next.connect(port, host, () => {
          if (closed) return void next.close();
          const old = socket;
          socket = next;
          old?.close();
          ready();
        });
      if (local) next.bind({ address: local, port: 0 }, connect);
      else connect();
    };

    open(opts.localAddress, () => {
      tick();
      h.open();
    });

    return {
      send(bytes) {
        if (closed) return;
        if (kcp.send(bytes) < 0) return stop(`kcp: a packet of ${bytes.length} bytes does not fit the send window`);
        kcp.flush();
      },
      close() {
        h.end();
        if (closed) return;
        // Tell the server at once instead of leaving it to time the session out; close once the FIN left.
        const s = socket;
        if (s) s.send(encodeFin(conv), () => stop());
        else stop();
      },
      authenticated(reply) {
        migrator.authenticated(reply);
      },
      rebind(localAddress) {
        if (closed) return;
        open(localAddress, () => {
          sendRaw(migrator.start('rebind', Date.now()));
          clearTimeout(timer);
          tick();
        });
      },
      stats() {
        const s = kcp.stats;
        return { srttMs: s.srtt, rtoMs: s.rto, retransmits: s.xmit + s.fastXmit, sent };
      },
    };
  };
}
