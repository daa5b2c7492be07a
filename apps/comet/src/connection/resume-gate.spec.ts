import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResumeGate, resumeKeyOf } from './resume-gate';

const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const tick = () => new Promise((r) => setImmediate(r));

describe('resumeKeyOf', () => {
  it('finds the key of a well-formed resume token, and nothing otherwise', () => {
    assert.equal(resumeKeyOf(enc({ token: 'x', resume: 'ab-12.AAAAAAAAAAAAAAAAAAAAAA' })), 'ab-12');
    assert.equal(resumeKeyOf(enc({ resume: 'k.x.y.AAAAAAAAAAAAAAAAAAAAAA' })), 'k.x.y');
    assert.equal(resumeKeyOf(enc({ resume: 'short' })), undefined);
    assert.equal(resumeKeyOf(enc({ resume: 7 })), undefined);
    assert.equal(resumeKeyOf(enc({ mid: 1 })), undefined);
    assert.equal(resumeKeyOf(new TextEncoder().encode('{"resume":')), undefined);
  });
});

describe('ResumeGate', () => {
  it('a resume waits for a disconnect of its key in flight', async () => {
    const gate = new ResumeGate();
    const order: string[] = [];
    let finish!: () => void;
    gate.disconnect('k', () => new Promise<void>((r) => (finish = r)).then(() => void order.push('disconnect')));
    const resumed = gate.beforeResume('k').then((settle) => {
      order.push('connect');
      settle(true);
    });
    await tick();
    assert.deepEqual(order, []);
    finish();
    await resumed;
    assert.deepEqual(order, ['disconnect', 'connect']);
  });

  it('a disconnect during a resume of its key is dropped when the resume takes the key, sent when it does not', async () => {
    const gate = new ResumeGate();
    const sent: string[] = [];
    const took = await gate.beforeResume('a');
    gate.disconnect('a', async () => void sent.push('a'));
    took(true);
    const refused = await gate.beforeResume('b');
    gate.disconnect('b', async () => void sent.push('b'));
    refused(false);
    gate.disconnect('c', async () => void sent.push('c'));
    await tick();
    assert.deepEqual(sent.sort(), ['b', 'c']);
  });
});
