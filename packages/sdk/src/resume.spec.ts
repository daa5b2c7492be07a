import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResumeState } from './resume.js';

describe('ResumeState', () => {
  it('presents the last token while connected and for its window after the link is lost', () => {
    const clock = { ms: 1_000, now: () => clock.ms };
    const r = new ResumeState(clock, true);
    assert.deepEqual(r.authFields(), {});
    r.accepted({ resume: 'k1.secret', resume_ttl: 60 });
    assert.deepEqual(r.authFields(), { resume: 'k1.secret' });
    clock.ms += 3_600_000;
    assert.deepEqual(r.authFields(), { resume: 'k1.secret' }, 'still connected: no expiry');
    r.lost();
    clock.ms += 59_000;
    assert.deepEqual(r.authFields(), { resume: 'k1.secret' });
    clock.ms += 2_000;
    assert.deepEqual(r.authFields(), {}, 'past the window');
  });

  it('forgets the token after a reply without one, a refusal or a kick, and when turned off', () => {
    const clock = { now: () => 0 };
    const r = new ResumeState(clock, true);
    r.accepted({ resume: 'k1.a', resume_ttl: 60 });
    r.accepted({});
    assert.deepEqual(r.authFields(), {});
    r.accepted({ resume: 'k1.b', resume_ttl: 60 });
    r.forget();
    assert.deepEqual(r.authFields(), {});
    const off = new ResumeState(clock, false);
    off.accepted({ resume: 'k1.c', resume_ttl: 60 });
    assert.deepEqual(off.authFields(), {});
  });
});
