// goim drop-in mode (LOGIC_API_AUTH=none, docs/security.md "Push plane"): goim's business
// services call goim's HTTP paths with no key and get goim's answers, goim-protocol clients get
// the pushes; the open API is a warning at boot and on /health, and web pages are still refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bodyText, type Cluster, ProtoClient, signHs256, startCluster } from '@imgate/testing';

interface GoimAnswer {
  code: number;
  message: string;
  data: unknown;
}

/** What goim's business services send: a bare POST, the raw message as the body, no Authorization. */
async function goimPost(url: string, body: string): Promise<{ status: number; json: GoimAnswer }> {
  const res = await fetch(url, { method: 'POST', body });
  return { status: res.status, json: (await res.json()) as GoimAnswer };
}

async function goimGet(url: string): Promise<{ status: number; json: GoimAnswer }> {
  const res = await fetch(url);
  return { status: res.status, json: (await res.json()) as GoimAnswer };
}

describe('goim drop-in mode: LOGIC_API_AUTH=none', () => {
  let cluster: Cluster;
  let a: ProtoClient;
  let b: ProtoClient;
  let keyA: string;

  before(async () => {
    cluster = await startCluster({ name: 'goim-dropin', env: { LOGIC_API_AUTH: 'none', LOGIC_API_KEYS: '', COMET_ONLINE_REPORT_MS: '300', LOGIC_ONLINE_REFRESH_MS: '200' } });
    // goim's clients: 16-byte headers, goim's auth body (mid, room_id, platform, accepts) plus the token.
    a = await ProtoClient.ws(cluster.comets[0].wsUrl);
    b = await ProtoClient.tcp(cluster.comets[0].tcp);
    keyA = (await a.auth({ token: await signHs256({ mid: 9401 }), mid: 9401, room_id: 'live://1000', platform: 'web', accepts: [1000, 1001, 1002, 1003] })).key;
    await b.auth({ token: await signHs256({ mid: 9402 }), mid: 9402, room_id: 'live://1000', platform: 'android', accepts: [1000, 1001, 1002, 1003] });
  });
  after(async () => {
    a?.close();
    b?.close();
    await cluster?.stop();
  });

  it('warns at boot and on /health that the push API is open', async () => {
    assert.match(cluster.logic.proc.output, /LOGIC_API_AUTH=none: the push\/online\/admin API takes calls without a key/);
    for (const path of ['/health/live', '/health/ready']) {
      const body = (await (await fetch(`${cluster.logic.url}${path}`)).json()) as { warnings?: string[] };
      assert.match(body.warnings?.join('\n') ?? '', /LOGIC_API_AUTH=none/, path);
    }
  });

  it("serves goim's push paths unchanged, with goim's answers, to clients that send no key", async () => {
    const base = `${cluster.logic.url}/goim/push`;
    const sends: Array<[string, string, ProtoClient[]]> = [
      [`${base}/mids?operation=1000&mids=9401&mids=9402`, 'to mids', [a, b]],
      [`${base}/keys?operation=1001&keys=${keyA}`, 'to keys', [a]],
      [`${base}/room?operation=1002&type=live&room=1000`, 'to room', [a, b]],
      [`${base}/all?operation=1003`, 'to all', [a, b]],
    ];
    for (const [url, text, receivers] of sends) {
      const res = await goimPost(url, text);
      assert.equal(res.status, 200, url);
      assert.equal(res.json.code, 0, url);
      assert.equal(res.json.message, '');
      for (const c of receivers) assert.equal(bodyText(await c.next((p) => bodyText(p) === text, 10_000)), text);
    }
    assert.ok(!b.received.some((p) => bodyText(p) === 'to keys'), 'the key push went to its key only');
  });

  it("serves goim's online and node paths unchanged", async () => {
    let top: { status: number; json: GoimAnswer } | undefined;
    for (let i = 0; i < 50; i++) {
      top = await goimGet(`${cluster.logic.url}/goim/online/top?type=live&limit=10`);
      if (JSON.stringify(top.json.data).includes('"count":2')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(top?.json, { code: 0, message: '', data: [{ room_id: '1000', count: 2 }] });
    assert.deepEqual((await goimGet(`${cluster.logic.url}/goim/online/room?type=live&rooms=1000`)).json, { code: 0, message: '', data: { 1000: 2 } });
    const total = await goimGet(`${cluster.logic.url}/goim/online/total`);
    assert.equal(total.json.code, 0);
    assert.equal((total.json.data as { conn_count: number }).conn_count, 2);
    for (const path of ['/goim/nodes/weighted', '/goim/nodes/instances']) {
      const nodes = await goimGet(`${cluster.logic.url}${path}`);
      assert.equal(nodes.json.code, 0, path);
      assert.equal((nodes.json.data as { nodes: Array<{ ws: string }> }).nodes[0].ws, cluster.comets[0].wsUrl, path);
    }
  });

  it('still refuses browser-style requests: a text/plain POST from a web page', async () => {
    const res = await fetch(`${cluster.logic.url}/goim/push/all?operation=1000`, { method: 'POST', headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example.net' }, body: 'csrf' });
    assert.equal(res.status, 403);
    assert.deepEqual(await res.json(), {
      code: -403,
      message: 'requests from a web page (Origin https://evil.example.net) need an API key and an origin listed in LOGIC_CORS_ORIGINS',
      reason: 'browser_origin',
    });
    await a.wait(300);
    assert.ok(!a.received.some((p) => bodyText(p) === 'csrf'));
  });
});
