import { createSocket } from 'node:dgram';
import { randomInt } from 'node:crypto';
import { CMD_FIN, CMD_KICK, CMD_RECONNECT, decodeControl, encodeFin, Kcp } from '@imgate/kcp';
import { parseHostPort } from '../node-list.js';
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
}

/**
 * KCP over UDP (`host:3103`): the packet stream of TCP carried by the pure KCP engine
 * (wire-compatible with ikcp), driven here by a dgram socket and a timer. The comet's extension
 * commands end the link: KICK and RECONNECT from the server, FIN both ways. Node only.
 */
export function kcpTransport(opts: KcpTransportOptions = {}): TransportFactory {
  return (address, handlers) => {
    const { host, port } = parseHostPort(address);
    const h = onceClosed(handlers);
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    // Convs from 0x80000000 up mark imgate peers: only they may be sent extension commands (FIN, KICK, RECONNECT).
    const conv = opts.conv?.() ?? randomInt(0x80000000, 0x100000000);
    let connected = false;
    const kcp = new Kcp(conv, (datagram) => {
      if (connected) socket.send(datagram);
    }, { stream: opts.stream ?? true });
    const [nodelay, interval, resend, nc] = opts.nodelay ?? [1, 10, 2, 1];
    kcp.setNodelay(nodelay, interval, resend, nc);
    kcp.setWndSize(...(opts.window ?? [128, 128]));
    if (opts.mtu) kcp.setMtu(opts.mtu);
    let timer: NodeJS.Timeout | undefined;
    let closed = false;

    const stop = (reason?: string) => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      socket.close();
      if (reason !== undefined) h.close(reason);
    };
    const drain = () => {
      for (let m = kcp.recv(); m !== null && !closed; m = kcp.recv()) h.data(m);
    };
    /** Runs the engine's clock: update now, then sleep until check() says it is needed again. */
    const tick = () => {
      if (closed) return;
      const now = Date.now() >>> 0;
      kcp.update(now);
      if (kcp.deadLink) return stop('kcp: dead link (a segment went unacknowledged too often)');
      const wait = Math.max(1, (kcp.check(Date.now() >>> 0) - (Date.now() >>> 0)) | 0);
      timer = setTimeout(tick, Math.min(wait, 100));
    };

    socket.on('message', (msg: Buffer) => {
      const datagram = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
      const control = decodeControl(datagram);
      if (control && control.conv === conv) {
        if (control.cmd === CMD_KICK) return stop(`kcp: kicked by the server (${control.code}${control.reason ? `: ${control.reason}` : ''})`);
        if (control.cmd === CMD_RECONNECT) return stop('kcp: the server does not know this session');
        if (control.cmd === CMD_FIN) return stop('kcp: the server closed the session');
        return;
      }
      if (kcp.input(datagram) < 0) return; // another conv, or garbage: not ours
      drain();
      kcp.flush(); // acknowledge promptly instead of at the next tick
    });
    socket.on('error', (err) => stop(`kcp: ${err.message}`));
    socket.connect(port, host, () => {
      connected = true;
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
        if (connected) socket.send(encodeFin(conv), () => stop());
        else stop();
      },
    };
  };
}
