import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { type Embedded, post, startEmbedded } from '@imgate/testing';

// Bytes built and parsed by hand with DataView, exactly as goim's examples/javascript/client.js
// does, so this test does not lean on imgate's own codec.
const RAW_HEADER_LEN = 16;

function goimPacket(op: number, body: string): ArrayBuffer {
  const bodyBuf = new TextEncoder().encode(body);
  const buf = new ArrayBuffer(RAW_HEADER_LEN + bodyBuf.byteLength);
  const view = new DataView(buf);
  view.setInt32(0, RAW_HEADER_LEN + bodyBuf.byteLength);
  view.setInt16(4, RAW_HEADER_LEN);
  view.setInt16(6, 1);
  view.setInt32(8, op);
  view.setInt32(12, 1);
  new Uint8Array(buf).set(bodyBuf, RAW_HEADER_LEN);
  return buf;
}

interface Received {
  op: number;
  headerLen: number;
  body: string;
}

/** goim's client loop: a message may hold several packets back to back. */
function parse(data: ArrayBuffer): Received[] {
  const view = new DataView(data);
  const out: Received[] = [];
  for (let offset = 0; offset < data.byteLength; ) {
    const packetLen = view.getInt32(offset);
    const headerLen = view.getInt16(offset + 4);
    out.push({ op: view.getInt32(offset + 8), headerLen, body: new TextDecoder().decode(data.slice(offset + headerLen, offset + packetLen)) });
    offset += packetLen;
  }
  return out;
}

describe('goim compatibility on the embedded default', () => {
  let embedded: Embedded;
  before(async () => {
    embedded = await startEmbedded('goim-compat');
  });
  after(async () => embedded?.stop());

  it('warns loudly that dev auth trusts the client', () => {
    assert.match(embedded.proc.output, /LOGIC_AUTH_MODE=dev: clients are trusted to name their own user id/);
  });

  it("serves goim's JavaScript client: auth, heartbeats, and a push to its mid through /goim/push/mids", async () => {
    const ws = new WebSocket(embedded.wsUrl);
    ws.binaryType = 'arraybuffer';
    const received: Received[] = [];
    let wake: () => void = () => undefined;
    ws.on('message', (data: ArrayBuffer, isBinary) => {
      assert.equal(isBinary, true);
      received.push(...parse(data));
      wake();
    });
    const until = async (pred: () => boolean, what: string) => {
      const deadline = Date.now() + 10_000;
      while (!pred()) {
        if (Date.now() > deadline) throw new Error(`no ${what}; received ${JSON.stringify(received)}`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
    };
    await new Promise((r) => ws.once('open', r));
    ws.send(goimPacket(7, '{"mid":123, "room_id":"live://1000", "platform":"web", "accepts":[1000,1001,1002]}'));
    await until(() => received.some((p) => p.op === 8), 'auth reply (op 8)');

    ws.send(goimPacket(2, ''));
    await until(() => received.filter((p) => p.op === 3).length === 1, 'heartbeat reply (op 3)');
    ws.send(goimPacket(2, ''));
    await until(() => received.filter((p) => p.op === 3).length === 2, 'second heartbeat reply');
    const hb = received.find((p) => p.op === 3)!;
    assert.equal(hb.headerLen, 16);

    const res = await post(`${embedded.logicUrl}/goim/push/mids?operation=1000&mids=123`, 'hello goim');
    assert.equal(res.status, 200);
    assert.equal(res.json.code, 0);
    await until(() => received.some((p) => p.op === 1000), 'the pushed message');
    const msg = received.find((p) => p.op === 1000)!;
    assert.equal(msg.body, 'hello goim');
    assert.equal(msg.headerLen, 16);
    assert.ok(received.every((p) => p.headerLen === 16), 'a goim client only ever sees 16-byte headers');
    ws.close();
  });
});
