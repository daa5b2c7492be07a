import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roomGranted } from './index';

describe('roomGranted', () => {
  it('matches exact names and prefixes ending in *', () => {
    const grants = ['chat://7', 'live://*'];
    assert.equal(roomGranted(grants, 'chat://7'), true);
    assert.equal(roomGranted(grants, 'chat://70'), false);
    assert.equal(roomGranted(grants, 'live://1000'), true);
    assert.equal(roomGranted(grants, 'live:/1000'), false);
    assert.equal(roomGranted(grants, 'game://1'), false);
  });

  it('grants everything with "*", nothing with no grants, and the empty room always', () => {
    assert.equal(roomGranted(['*'], 'any://thing'), true);
    assert.equal(roomGranted([], 'live://1'), false);
    assert.equal(roomGranted([], ''), true);
  });
});
