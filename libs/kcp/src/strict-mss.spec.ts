import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Kcp } from './kcp';
import { CMD_PUSH, encodeSegment } from './segment';

const push = (conv: number, len: number) => encodeSegment({ conv, cmd: CMD_PUSH, frg: 0, wnd: 128, ts: 0, sn: 0, una: 0 }, new Uint8Array(len));

describe('Kcp strictMss', () => {
  it('off (ikcp behaviour): a segment longer than the mss is taken', () => {
    const k = new Kcp(1, () => undefined);
    assert.equal(k.input(push(1, k.mss + 100)), 0);
    assert.equal(k.recv()?.length, k.mss + 100);
  });

  it('on: a segment longer than mtu - 24 is refused with -4, one of mss bytes is taken', () => {
    const k = new Kcp(1, () => undefined);
    k.setMtu(200);
    k.strictMss = true;
    assert.equal(k.mss, 176);
    assert.equal(k.input(push(1, 177)), -4);
    assert.equal(k.recv(), null, 'nothing from the refused segment');
    assert.equal(k.input(push(1, 176)), 0);
    assert.equal(k.recv()?.length, 176);
  });
});
