// The impairment relay as its own process, so its timers never queue behind the benchmark's work.
//
//   node dist/bench/impair/relay.main.js --udp 4103=127.0.0.1:3103 --tcp 4101=127.0.0.1:3101 \
//     --tcp 4102=127.0.0.1:3102 [--loss 0.1] [--rtt 0] [--jitter 0] [--seed 1]
//
// Listens on 127.0.0.1. Under a parent (fork), it answers IPC messages: `profile` changes the
// link live, `stats` reports what was dropped. Listen port 0 picks a free one (reported in `ready`).
import { type LinkProfile, seededRandom } from './stall-model';
import { TcpRelay } from './tcp.relay';
import { UdpRelay } from './udp.relay';

export interface RelayRoute {
  proto: 'tcp' | 'udp';
  listenPort: number;
  targetHost: string;
  targetPort: number;
}

export type RelayRequest = { type: 'profile'; profile: LinkProfile } | { type: 'stats' } | { type: 'stop' };

export type RelayReply =
  | { type: 'ready'; ports: number[] }
  | { type: 'profile-ok' }
  | { type: 'stats'; udp: { datagrams: number; dropped: number }; tcp: { transmissions: number; lost: number } };

export function parseRoute(proto: 'tcp' | 'udp', spec: string): RelayRoute {
  const m = /^(\d+)=([\w.-]+):(\d+)$/.exec(spec);
  if (!m) throw new Error(`--${proto} wants LISTEN=HOST:PORT, got "${spec}"`);
  return { proto, listenPort: Number(m[1]), targetHost: m[2], targetPort: Number(m[3]) };
}

function main(): void {
  const argv = process.argv.slice(2);
  const routes: RelayRoute[] = [];
  const profile: LinkProfile = { loss: 0, rttMs: 0, jitterMs: 0 };
  let seed = Date.now();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    if (flag === '--tcp' || flag === '--udp') routes.push(parseRoute(flag.slice(2) as 'tcp' | 'udp', value));
    else if (flag === '--loss') profile.loss = Number(value);
    else if (flag === '--rtt') profile.rttMs = Number(value);
    else if (flag === '--jitter') profile.jitterMs = Number(value);
    else if (flag === '--seed') seed = Number(value);
    else throw new Error(`unknown flag ${flag}`);
  }
  if (!(profile.loss >= 0 && profile.loss < 1)) throw new Error('--loss must be in [0, 1)');
  const random = seededRandom(seed);
  const tcp: TcpRelay[] = [];
  const udp: UdpRelay[] = [];
  const starts = routes.map((r) => {
    const opts = { listenHost: '127.0.0.1', listenPort: r.listenPort, targetHost: r.targetHost, targetPort: r.targetPort, profile, random };
    if (r.proto === 'tcp') {
      const relay = new TcpRelay(opts);
      tcp.push(relay);
      return relay.start();
    }
    const relay = new UdpRelay(opts);
    udp.push(relay);
    return relay.start();
  });
  const stop = () => {
    for (const r of [...tcp, ...udp]) r.stop();
    process.exit(0);
  };
  const reply = (m: RelayReply) => process.send?.(m);
  process.on('message', (m: RelayRequest) => {
    if (m.type === 'profile') {
      Object.assign(profile, m.profile);
      reply({ type: 'profile-ok' });
    } else if (m.type === 'stats') {
      const sum = <T extends object>(xs: T[], k: keyof T) => xs.reduce((a, x) => a + Number(x[k]), 0);
      const u = udp.map((r) => r.stats);
      const t = tcp.map((r) => r.stats);
      reply({ type: 'stats', udp: { datagrams: sum(u, 'datagrams'), dropped: sum(u, 'dropped') }, tcp: { transmissions: sum(t, 'transmissions'), lost: sum(t, 'lost') } });
    } else if (m.type === 'stop') stop();
  });
  // Never outlive the parent.
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  Promise.all(starts).then(
    (ports) => {
      routes.forEach((r, i) => console.log(`relay ${r.proto} 127.0.0.1:${ports[i]} -> ${r.targetHost}:${r.targetPort}`));
      reply({ type: 'ready', ports });
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

if (require.main === module) main();
