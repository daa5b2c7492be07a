import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import type { logic } from '@imgate/contracts';
import { authFailure, authReplyBody } from './connection-auth';

function grpcError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: new Metadata() });
}

describe('authFailure', () => {
  it("ends the client's retries only for logic's refusals", () => {
    for (const code of [status.UNAUTHENTICATED, status.PERMISSION_DENIED, status.INVALID_ARGUMENT]) {
      assert.deepEqual(authFailure(grpcError(code, 'bad token')), { code: 'auth_failed', result: 'rejected', reason: 'bad token' });
    }
  });

  it('a user at its key limit may retry later (too_many_connections)', () => {
    assert.deepEqual(authFailure(grpcError(status.RESOURCE_EXHAUSTED, 'user 7 already has 2 connections')), {
      code: 'too_many_connections',
      result: 'limited',
      reason: 'user 7 already has 2 connections',
    });
  });

  it('anything else is the auth service being unavailable, plain errors included', () => {
    assert.deepEqual(authFailure(grpcError(status.UNAVAILABLE, 'No connection established')), {
      code: 'unavailable',
      result: 'unavailable',
      reason: 'auth service unavailable (No connection established)',
    });
    assert.equal(authFailure(grpcError(status.DEADLINE_EXCEEDED, 'deadline')).code, 'unavailable');
    assert.equal(authFailure(new Error('socket hang up')).reason, 'auth service unavailable (socket hang up)');
  });
});

describe('authReplyBody', () => {
  const reply: logic.ConnectReply__Output = {
    mid: 7,
    key: 'k7',
    roomId: 'live://asked',
    accepts: [1000],
    heartbeatSec: 30,
    platform: 'web',
    heartbeatMinSec: 10,
    heartbeatStepSec: 5,
    delivery: false,
    device: '',
    heads: [],
    resume: '',
    resumeTtlSec: 0,
    resumed: false,
    rooms: [],
    held: [],
    permissions: null,
  };
  const json = (b: Uint8Array) => JSON.parse(Buffer.from(b).toString('utf8')) as Record<string, unknown>;

  it("writes goim's fields with the room the connection ended up in, then the transport's extras", () => {
    const body = json(authReplyBody(reply, 'live://1', { line: 'tcp' }));
    assert.deepEqual(body, { mid: 7, key: 'k7', room_id: 'live://1', heartbeat: 30, heartbeat_min: 10, heartbeat_step: 5, line: 'tcp' });
  });

  it('adds the resume token and the delivery block when logic gave them', () => {
    const withBoth: logic.ConnectReply__Output = { ...reply, resume: 'k7.secret', resumeTtlSec: 60, resumed: true, delivery: true, device: 'd1', heads: [{ stream: 'u:7', epoch: 3, head: 9 }] };
    const body = json(authReplyBody(withBoth, '', undefined));
    assert.deepEqual(body.delivery, { device: 'd1', streams: { 'u:7': { epoch: 3, head: '9' } } });
    assert.equal(body.resume, 'k7.secret');
    assert.equal(body.resume_ttl, 60);
    assert.equal(body.resumed, true);
  });
});
