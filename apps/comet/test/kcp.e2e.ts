import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { CMD_RECONNECT, encodeNew, encodeSegment } from '@imgate/kcp';
import { Op } from '@imgate/protocol';
import { apiHeaders, bodyText, type Cluster, metric, post, ProtoClient, signHs256, startCluster, waitFor } from '@imgate/testing';

/** One KCP segment (24-byte little-endian header + data), as a Buffer. */
function seg(h: { conv: number; cmd: number; frg: number; wnd: number; ts: number; sn: number; una: number }, data: Uint8Array): Buffer {
  return Buffer.from(encodeSegment(h, data));
}

function udp(bind = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, bind, () => resolve(s));
  });
}

describe('KCP transport on a comet', () => {
  let cluster: Cluster;
  let metricsUrl: string;
  let port: number;
  before(async () => {
    cluster = await startCluster({
      name: 'kcp',
      env: { COMET_KCP_TRUSTED_RELAYS: '127.0.0.9', COMET_KCP_MAX_SESSIONS: '60', COMET_KCP_MAX_SESSIONS_PER_IP: '8', COMET_HANDSHAKE_TIMEOUT_MS: '2000' },
    });
    metricsUrl = `http://127.0.0.1:${cluster.comets[0].http}/metrics`;
    port = cluster.comets[0].kcp;
  });
  after(async () => cluster?.stop());

  it('carries the goim protocol: auth, heartbeat, upstream op 4, pushes by mid and to a room', async () => {
    const c = await ProtoClient.kcp(port, { conv: 0x11223344 });
    const id = await c.auth({ token: await signHs256({ mid: 8001 }), room_id: 'live://kcp', accepts: [1000] });
    assert.equal(id.mid, 8001);
    assert.equal(id.kcp_secret, undefined, 'a stock-range conv gets no migration secret');
    c.send(Op.Heartbeat);
    await c.op(Op.HeartbeatReply);
    const seq = c.send(Op.SendMsg, 'up over kcp');
    assert.equal((await c.op(Op.SendMsgReply)).seq, seq);
    await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=8001`, 'to-mid');
    assert.equal(bodyText(await c.next((p) => bodyText(p) === 'to-mid')), 'to-mid');
    const big = 'k'.repeat(50_000);
    await post(`${cluster.logic.url}/goim/push/room?operation=1000&type=live&room=kcp`, big);
    assert.equal(bodyText(await c.next((p) => p.body.length === 50_000, 10_000)).length, 50_000);
    assert.deepEqual(c.controls, [], 'a stock-range conv never receives extension commands');
    c.close();
  });

  it('releases an imgate peer at once on FIN, and tells one with an unknown conv to reconnect', async () => {
    const c = await ProtoClient.kcp(port, { conv: 0x80001234 });
    const reply = await c.auth({ token: await signHs256({ mid: 8002 }), accepts: [1000] });
    assert.equal(Buffer.from(reply.kcp_secret ?? '', 'base64').length, 32, 'an imgate conv gets a 32-byte migration secret');
    const open = await metric(metricsUrl, 'imgate_comet_kcp_sessions');
    c.close(); // sends FIN
    await waitFor(async () => (await metric(metricsUrl, 'imgate_comet_kcp_sessions')) === open - 1, 3_000, 'the FIN to release the session');

    // A mid-conversation segment (sn 5) for a conv the comet does not know: imgate peers get RECONNECT.
    const s = await udp();
    const replies: Buffer[] = [];
    s.on('message', (m) => replies.push(m));
    const stale = (conv: number) => seg({ conv, cmd: 81, frg: 0, wnd: 128, ts: 1, sn: 5, una: 5 }, Buffer.from('x'));
    s.send(stale(0x8000beef), port, '127.0.0.1');
    await waitFor(() => replies.length === 1, 3_000, 'a RECONNECT');
    assert.equal(replies[0][4], CMD_RECONNECT);
    assert.equal(replies[0].readUInt32LE(0), 0x8000beef);
    s.send(stale(0x0000beef), port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(replies.length, 1, 'a stock-range conv is dropped silently');
    s.close();
  });

  it('believes NEW (the real client address) only from a trusted relay', async () => {
    const before = await metric(metricsUrl, 'imgate_comet_kcp_dropped_total', 'reason="untrusted_new"');
    const s = await udp('127.0.0.1');
    s.send(encodeNew({ conv: 0x80000077, ip: '203.0.113.9', port: 4444 }), port, '127.0.0.1');
    await waitFor(async () => (await metric(metricsUrl, 'imgate_comet_kcp_dropped_total', 'reason="untrusted_new"')) === before + 1, 3_000, 'the untrusted NEW to be dropped');
    s.close();

    // From the trusted relay address, the stamped address is the client's address (here: in the online ip count).
    const relayed = await ProtoClient.kcp(port, { conv: 0x80000078, bindAddress: '127.0.0.9', stamp: { ip: '203.0.113.9', port: 4444 } });
    await relayed.auth({ token: await signHs256({ mid: 8003 }), room_id: 'live://relay', accepts: [1000] });
    await waitFor(async () => {
      const total = (await (await fetch(`${cluster.logic.url}/goim/online/total`, { headers: apiHeaders() })).json()) as { data: { ip_count: number } };
      return total.data.ip_count >= 2;
    }, 15_000, 'the stamped address to count as a second client address');
    relayed.close();
  });

  it('survives malformed datagrams and a flood from many addresses, with sessions bounded, and keeps serving', async () => {
    // Sessions of earlier tests whose stock clients left without FIN stay until their heartbeat deadline.
    const baseline = await metric(metricsUrl, 'imgate_comet_kcp_sessions');
    const senders = await Promise.all(Array.from({ length: 20 }, (_, i) => udp(`127.0.0.${20 + i}`)));
    const junk: Buffer[] = [
      Buffer.alloc(3),
      Buffer.from(randomBytes(23)),
      seg({ conv: 1, cmd: 81, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, Buffer.from('x')).subarray(0, 26),
      Buffer.concat([seg({ conv: 2, cmd: 81, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, Buffer.alloc(0)).subarray(0, 20), Buffer.from([0xff, 0xff, 0xff, 0x7f])]),
      seg({ conv: 3, cmd: 99, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, Buffer.alloc(0)),
      seg({ conv: 4, cmd: 81, frg: 255, wnd: 128, ts: 0, sn: 0, una: 0 }, Buffer.from('frag')),
    ];
    for (let round = 0; round < 30; round++) {
      for (const [i, s] of senders.entries()) {
        for (const j of junk) s.send(j, port, '127.0.0.1');
        // Fresh conversations from every address: more than the per-address and overall bounds allow.
        for (let k = 0; k < 3; k++) {
          const conv = 0x100000 + round * 1000 + i * 10 + k;
          s.send(seg({ conv, cmd: 81, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, randomBytes(30)), port, '127.0.0.1');
        }
      }
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 500));
    assert.ok((await metric(metricsUrl, 'imgate_comet_kcp_sessions')) <= 60, 'sessions stay within COMET_KCP_MAX_SESSIONS');
    assert.ok((await metric(metricsUrl, 'imgate_comet_kcp_dropped_total', 'reason="short"')) >= 30);
    assert.ok((await metric(metricsUrl, 'imgate_comet_kcp_dropped_total', 'reason="address_limit"')) + (await metric(metricsUrl, 'imgate_comet_kcp_dropped_total', 'reason="session_limit"')) > 0);
    assert.equal(cluster.comets[0].proc.running, true);
    senders.forEach((s) => s.close());
    // The flood's sessions never authenticate: the handshake timeout (then the end grace) clears them.
    await waitFor(async () => (await metric(metricsUrl, 'imgate_comet_kcp_sessions')) <= baseline, 15_000, 'the flood sessions to be released');
    const c = await ProtoClient.kcp(port);
    await c.auth({ token: await signHs256({ mid: 8004 }), accepts: [1000] });
    await post(`${cluster.logic.url}/goim/push/mids?operation=1000&mids=8004`, 'still serving');
    assert.equal(bodyText(await c.next((p) => p.op === 1000)), 'still serving');
    c.close();
  });
});
