import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type LinkProfile, seededRandom, StallModel } from './stall-model';

/** Replays a fixed sequence of draws (< p: lost). */
const draws = (...xs: number[]) => () => {
  const x = xs.shift();
  if (x === undefined) throw new Error('out of draws');
  return x;
};

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('StallModel', () => {
  const link: LinkProfile = { loss: 0.5, rttMs: 20, jitterMs: 0 };

  it('delivers an unlost segment after one way, cut at the MSS', () => {
    const m = new StallModel({ ...link, loss: 0 }, () => 0.9);
    m.push(bytes(3000), 0);
    assert.equal(m.pendingSegments, 3);
    assert.deepEqual(m.take(9.9), []);
    assert.deepEqual(m.take(10).map((s) => s.length), [1448, 1448, 104]);
  });

  it('holds a lost tail segment for rtt + rto_min, and everything behind it', () => {
    const m = new StallModel(link, draws(0.1, 0.9));
    m.push(bytes(10, 1), 0); // lost, its retransmission is not
    assert.equal(m.nextAt(), 20 + 200 + 10);
    assert.deepEqual(m.take(229), []);
    assert.equal(m.take(230).length, 1);
  });

  it('retransmits a hole one RTT after a later segment gets through (SACK), keeping order', () => {
    const m = new StallModel(link, draws(0.1, 0.9, 0.9));
    m.push(bytes(10, 1), 0); // lost
    m.push(bytes(10, 2), 50); // gets through at 60, but waits for the hole: retransmitted at 70, arrives at 80
    assert.deepEqual(m.take(79), []);
    assert.deepEqual(m.take(80).map((s) => s[0]), [1, 2]);
  });

  it('backs off exponentially when retransmissions are lost too', () => {
    const m = new StallModel(link, draws(0.1, 0.1, 0.1, 0.9));
    m.push(bytes(10), 0); // first send and two retransmissions lost
    const rto = 220;
    assert.equal(m.nextAt(), rto + 2 * rto + 4 * rto + 10);
    assert.equal(m.stats.lost, 3);
  });

  it('loses about p of the segments over many draws', () => {
    const m = new StallModel({ loss: 0.1, rttMs: 0, jitterMs: 0 }, seededRandom(7));
    for (let i = 0; i < 20_000; i++) m.push(bytes(1), i);
    const lost = m.stats.lost / m.stats.transmissions;
    assert.ok(lost > 0.09 && lost < 0.11, `lost ${lost}`);
  });
});
