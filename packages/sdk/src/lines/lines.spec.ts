import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Op } from '@imgate/protocol';
import { ImgateClient } from '../client.js';
import type { LineSwitchEvent } from './line-switch-event.js';
import { LinePolicy } from './line-policy.js';
import { resolveLineOptions } from './line-switch-event.js';
import { FakeNetwork } from '../testing/fake-network.js';
import { FakeTime } from '../testing/fake-time.js';

const OPTS = { checkIntervalMs: 1_000, degradedRttMs: 100, degradedForMs: 3_000, minSwitchIntervalMs: 60_000, probeTimeoutMs: 2_000 };

describe('LinePolicy', () => {
  it('waits until the line stayed bad for degradedForMs; one good sample starts over', () => {
    const p = new LinePolicy(resolveLineOptions(OPTS));
    p.sample(0, 300, 2_000);
    p.sample(2_000, 300, 2_000);
    assert.equal(p.shouldProbe(2_000), false);
    p.sample(2_500, 20, 2_000);
    p.sample(3_000, undefined, 2_000);
    assert.equal(p.shouldProbe(5_000), false);
    p.sample(6_000, 300, 2_000);
    assert.equal(p.shouldProbe(6_000), true);
    p.probed(6_000);
    assert.equal(p.shouldProbe(7_000), false, 'not again before degradedForMs');
  });

  it('switches only to a clearly better, healthy line, at most once per interval', () => {
    const p = new LinePolicy(resolveLineOptions(OPTS));
    for (let t = 0; t <= 4_000; t += 1_000) p.sample(t, 160, 2_000);
    assert.equal(p.rttMs, 160);
    assert.equal(p.better(150), false, 'an equal line is no reason to move');
    assert.equal(p.better(90), false, 'not half the RTT');
    assert.equal(p.better(60), true);
    p.switched(4_000);
    for (let t = 5_000; t <= 9_000; t += 1_000) p.sample(t, 300, 2_000);
    assert.equal(p.shouldProbe(9_000), false, 'within minSwitchIntervalMs');
    assert.equal(p.shouldProbe(64_000), true);
  });

  it('counts heavy KCP retransmission as a bad sample even at a low RTT', () => {
    const p = new LinePolicy(resolveLineOptions(OPTS));
    p.sample(0, 10, 2_000, 0.5);
    p.sample(3_000, 10, 2_000, 0.5);
    assert.equal(p.shouldProbe(3_000), true);
    assert.equal(p.reason, 'retransmits');
  });
});

describe('Line probing and switching in the client', () => {
  it('races the comets at connect, takes the first to answer, and later moves make-before-break', async () => {
    const time = new FakeTime();
    const net = new FakeNetwork();
    const client = new ImgateClient({
      nodes: ['tcp://a:1', 'tcp://b:1'], mid: 7, clock: time, timers: time, watchNetwork: false, lines: OPTS,
      transports: { tcp: net.factory },
    });
    const switches: LineSwitchEvent[] = [];
    const drops: unknown[] = [];
    client.on('lineSwitch', (e) => switches.push(e));
    client.on('disconnected', (e) => drops.push(e));
    const started = client.connect();
    await time.advance(0);
    assert.deepEqual(net.links.map((l) => l.address), ['a:1', 'b:1'], 'both dialed at once');
    const [a, b] = net.links;
    a.open();
    b.open();
    assert.equal(a.lastSent(Op.Heartbeat).op, Op.Heartbeat, 'a probe before auth');
    await time.advance(30);
    b.reply(Op.HeartbeatReply, b.lastSent(Op.Heartbeat).seq);
    await time.advance(0);
    assert.equal(a.closed, true, 'the slower one is closed');
    b.acceptAuth();
    assert.equal((await started).node, 'tcp://b:1');

    // b stops answering pings: after degradedForMs of lost pings, a is raced and wins.
    for (let i = 0; i < 8 && net.links.length === 2; i++) await time.advance(1_000);
    const a2 = net.last();
    assert.equal(a2.address, 'a:1');
    a2.open();
    a2.reply(Op.HeartbeatReply, a2.lastSent(Op.Heartbeat).seq);
    await time.advance(0);
    assert.equal(b.closed, false, 'the old line serves until the new one is authenticated');
    a2.acceptAuth();
    await time.advance(0);
    assert.equal(client.connection?.node, 'tcp://a:1');
    assert.equal(switches.length, 1);
    assert.deepEqual([switches[0].from, switches[0].to, switches[0].reason], ['tcp://b:1', 'tcp://a:1', 'rtt']);
    await time.advance(2_000);
    assert.equal(b.closed, true, 'then the old line goes');
    assert.deepEqual(drops, []);
    client.close();
  });

  for (const [kind, nodes, expected] of [
    ['tls', ['tls://a:3104', 'tls://b:3104'], 'tls://b:3104'],
    ['wss', ['wss://a:3103/sub', 'wss://b:3103/sub'], 'wss://b:3103/sub'],
  ] as const) {
    it(`races ${kind}:// comets the same way and names the winner by its ${kind}:// URL`, async () => {
      const time = new FakeTime();
      const net = new FakeNetwork();
      const client = new ImgateClient({ nodes: [...nodes], mid: 7, clock: time, timers: time, watchNetwork: false, lines: OPTS, transports: { [kind]: net.factory } });
      const probed: string[] = [];
      client.on('linesProbed', (e) => probed.push(e.chosen));
      const started = client.connect();
      await time.advance(0);
      assert.deepEqual(net.links.map((l) => l.address), nodes.map((n) => (kind === 'tls' ? n.slice('tls://'.length) : n)));
      const [a, b] = net.links;
      a.open();
      b.open();
      b.reply(Op.HeartbeatReply, b.lastSent(Op.Heartbeat).seq);
      await time.advance(0);
      assert.equal(a.closed, true);
      b.acceptAuth();
      assert.equal((await started).node, expected);
      assert.deepEqual(probed, [expected]);
      client.close();
    });
  }
});
