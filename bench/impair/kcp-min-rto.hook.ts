// Experiment only, never in production: preloaded into the role processes with
// NODE_OPTIONS=--require by `npm run bench:kcp -- --comet-kcp-min-rto MS`, it lowers the KCP
// engine's retransmission-timeout floor (ikcp's rx_minrto: 30 ms in nodelay mode) after every
// setNodelay, to measure what a configurable floor would buy before libs/kcp and the comet get one.
import { Kcp } from '@imgate/kcp';

const minRto = Number(process.env.IMGATE_BENCH_KCP_MIN_RTO ?? 0);
if (Number.isInteger(minRto) && minRto > 0) {
  const setNodelay = Kcp.prototype.setNodelay;
  Kcp.prototype.setNodelay = function (this: Kcp, ...args: Parameters<Kcp['setNodelay']>): void {
    setNodelay.apply(this, args);
    // `rtt` is private in TypeScript only; this hook is the one place allowed to reach it.
    (this as unknown as { rtt: { minRto: number } }).rtt.minRto = minRto;
  };
}
