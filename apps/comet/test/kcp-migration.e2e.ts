import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { decodeMigration, encodeMigrateProof, MIGRATE_PROOF } from '@imgate/kcp';
import { type ConnectedEvent, type DisconnectedEvent, ImgateClient, type MigratedInfo } from '@imgate/sdk';
import { type Cluster, metric, post, Pusher, signHs256, startCluster, UdpNat, waitFor } from '@imgate/testing';

const MID = 9301;
const CONV = 0x8abc0001;
const RATE_PER_S = 50;

function udp(bind: string): Promise<Socket> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, bind, () => resolve(s));
  });
}

describe('KCP connection migration: a session follows its client to a new address', () => {
  let cluster: Cluster;
  let nat: UdpNat;
  let client: ImgateClient;
  let metricsUrl: string;
  const received: Array<{ at: number; text: string }> = [];
  const connects: ConnectedEvent[] = [];
  const drops: DisconnectedEvent[] = [];
  const migrations: MigratedInfo[] = [];
  let lastProof: Buffer | undefined;

  before(async () => {
    cluster = await startCluster({ name: 'kcp-migration' });
    metricsUrl = `http://127.0.0.1:${cluster.comets[0].http}/metrics`;
    nat = await UdpNat.start(cluster.comets[0].kcp);
    nat.tap = (d) => {
      if (decodeMigration(d)?.ver === MIGRATE_PROOF) lastProof = Buffer.from(d);
    };
  });
  after(async () => {
    client?.close();
    nat?.close();
    await cluster?.stop();
  });

  /** Time from `at` until the first push received after it, ms. */
  const firstAfter = async (at: number): Promise<number> => {
    await waitFor(() => received.some((r) => r.at > at), 10_000, 'a push after the move');
    return received.find((r) => r.at > at)!.at - at;
  };

  it('keeps the key, loses nothing and resumes within 2 s across a NAT rebinding and a new local address', async () => {
    client = new ImgateClient({
      nodes: [`kcp://127.0.0.1:${nat.port}`],
      token: () => signHs256({ mid: MID }),
      delivery: true,
      watchNetwork: false,
      kcp: { conv: () => CONV, migration: { probeMs: 500 } },
    });
    client.on('message', (m) => received.push({ at: Date.now(), text: m.text() }));
    client.on('connected', (c) => connects.push(c));
    client.on('disconnected', (d) => drops.push(d));
    client.on('migrated', (m) => migrations.push(m));
    const first = await client.connect();
    const pusher = new Pusher(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=${MID}`, RATE_PER_S);
    pusher.start();
    await waitFor(() => received.length >= 50, 10_000, 'the stream to flow');

    // 1. The NAT rebinds: the client does not know; the comet's pushes go to a port that is gone.
    const portBefore = nat.upstreamPorts[0];
    const rebindAt = Date.now();
    await nat.rebind();
    const natSwitchMs = await firstAfter(rebindAt);
    assert.notEqual(nat.upstreamPorts[0], portBefore);
    await waitFor(() => migrations.length >= 1, 5_000, 'the comet to acknowledge the migration');
    const natMigration = migrations.at(-1)!;
    assert.equal(natMigration.address, `127.0.0.1:${nat.upstreamPorts[0]}`, 'the comet answers to the new port');
    await new Promise((r) => setTimeout(r, 1_500));

    // 2. The client itself moves to another local address.
    const moveAt = Date.now();
    assert.equal(client.networkChanged({ localAddress: '127.0.0.2' }), true);
    const moveSwitchMs = await firstAfter(moveAt);
    await waitFor(() => migrations.some((m) => m.cause === 'rebind'), 5_000, 'the rebind migration to be acknowledged');
    const moved = migrations.find((m) => m.cause === 'rebind')!;
    assert.match(moved.address, /^127\.0\.0\.2:\d+$/, 'the comet sees the new local address');
    await new Promise((r) => setTimeout(r, 1_500));
    await pusher.stop();
    assert.deepEqual(pusher.failures, []);

    await waitFor(() => new Set(received.map((r) => r.text)).size >= pusher.sent, 15_000, `all ${pusher.sent} pushes`);
    await new Promise((r) => setTimeout(r, 500)); // room for a late duplicate to show
    assert.deepEqual(pusher.notOnce(received.map((r) => r.text)), [], 'every push exactly once');
    assert.equal(received.length, pusher.sent, 'nothing else, nothing twice');

    assert.equal(connects.length, 1, 'no re-auth: a single connection');
    assert.deepEqual(drops, []);
    assert.equal(client.connection?.key, first.key, 'the same key');
    assert.ok((await metric(metricsUrl, 'imgate_comet_kcp_migrations_total', 'result="moved"')) >= 2);
    assert.ok(natSwitchMs <= 2_000, `NAT rebinding: ${natSwitchMs} ms to the next push`);
    assert.ok(moveSwitchMs <= 2_000, `new local address: ${moveSwitchMs} ms to the next push`);
    console.log(
      `[kcp-migration] ${pusher.sent} pushes at ${RATE_PER_S}/s, each once; NAT rebinding: next push after ${natSwitchMs} ms ` +
        `(cause ${natMigration.cause}, NEW→ack ${natMigration.ms} ms); move to 127.0.0.2: next push after ${moveSwitchMs} ms (NEW→ack ${moved.ms} ms)`,
    );
  });

  it('ignores and counts a forged NEW and a replayed valid one from a third address', async () => {
    assert.ok(lastProof, 'a valid proof was seen on the path');
    const forgedBefore = await metric(metricsUrl, 'imgate_comet_kcp_migrations_total', 'result="forged"');
    const replayedBefore = await metric(metricsUrl, 'imgate_comet_kcp_migrations_total', 'result="replayed"');
    const attacker = await udp('127.0.0.3');
    const answers: Buffer[] = [];
    attacker.on('message', (m) => answers.push(m));
    const hmac = (k: Uint8Array, m: Uint8Array) => createHmac('sha256', k).update(m).digest();
    attacker.send(encodeMigrateProof(hmac, randomBytes(32), CONV, 1n << 40n), cluster.comets[0].kcp, '127.0.0.1');
    attacker.send(lastProof, cluster.comets[0].kcp, '127.0.0.1');
    await waitFor(async () => (await metric(metricsUrl, 'imgate_comet_kcp_migrations_total', 'result="forged"')) === forgedBefore + 1, 5_000, 'the forged NEW to be counted');
    await waitFor(async () => (await metric(metricsUrl, 'imgate_comet_kcp_migrations_total', 'result="replayed"')) === replayedBefore + 1, 5_000, 'the replay to be counted');

    // The session stayed where it was: pushes still reach the client, and the attacker got nothing.
    const n = received.length;
    await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=${MID}`, 'after-the-attack');
    await waitFor(() => received.length > n && received.at(-1)!.text === 'after-the-attack', 5_000, 'a push after the attack');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(answers.length, 0, 'nothing was sent to the attacker');
    attacker.close();
    console.log(`[kcp-migration] forged NEW and replayed NEW ignored (imgate_comet_kcp_migrations_total forged +1, replayed +1)`);
  });
});
