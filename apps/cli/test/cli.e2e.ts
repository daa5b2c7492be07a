import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { type Embedded, repoRoot, startEmbedded, TEST_API_KEY, waitFor } from '@imgate/testing';

const run = promisify(execFile);
const CLI = join(repoRoot(), 'dist', 'apps', 'cli', 'src', 'main.js');

/** `imgate listen` as a child process, with what it printed so far. */
function listen(args: string[]): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [CLI, 'listen', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  return { child, out: () => out };
}

describe('imgate CLI on the SDK, against the embedded default', () => {
  let embedded: Embedded;
  const children: ChildProcess[] = [];
  before(async () => {
    embedded = await startEmbedded('cli');
  });
  after(async () => {
    children.forEach((c) => c.kill('SIGKILL'));
    await embedded?.stop();
  });

  it('listens over WebSocket and TCP and prints pushes to its user, its room and everyone', async () => {
    const ws = listen(['--mid', '701', '--room', 'live://cli', '--url', embedded.wsUrl]);
    const tcp = listen(['--mid', '702', '--room', 'live://cli', '--transport', 'tcp', '--url', `tcp://127.0.0.1:${embedded.tcp}`, '--checksum']);
    children.push(ws.child, tcp.child);
    await waitFor(() => /connected to ws:.* as mid 701, key [0-9a-f-]{36}/.test(ws.out()), 10_000, 'the WebSocket listener');
    await waitFor(() => /connected to tcp:\/\/127\.0\.0\.1:\d+ as mid 702/.test(tcp.out()), 10_000, 'the TCP listener');

    const push = (...args: string[]) => run(process.execPath, [CLI, 'push', '--logic', embedded.logicUrl, ...args]);
    const toMid = await push('--mids', '701', 'just for 701');
    assert.match(toMid.stdout, /^200 \{"code":0/);
    await push('--room', 'live://cli', 'to the room');
    await push('--all', '--op', '1001', 'to everyone');
    await waitFor(() => ['op 1000: just for 701', 'op 1000: to the room', 'op 1001: to everyone'].every((l) => ws.out().includes(l)), 10_000, `the pushes in:\n${ws.out()}`);
    await waitFor(() => ['op 1000: to the room', 'op 1001: to everyone'].every((l) => tcp.out().includes(l)), 10_000, `the pushes in:\n${tcp.out()}`);
    assert.ok(!tcp.out().includes('just for 701'));

    ws.child.kill('SIGINT');
    const code = await new Promise((r) => ws.child.once('exit', r));
    assert.equal(code, 0);
  });

  it('push sends the API key from --api-key or IMGATE_API_KEY to a logic that requires one', async () => {
    const keyed = await startEmbedded('cli-key', { LOGIC_API_KEYS: TEST_API_KEY });
    try {
      const push = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, [CLI, 'push', '--logic', keyed.logicUrl, '--mids', '703', ...args], { env: { PATH: process.env.PATH, ...env } });
      await assert.rejects(push(['no key']), (err: { code: number; stdout: string }) => err.code === 1 && /^401 .*"reason":"missing_key"/.test(err.stdout));
      await assert.rejects(push(['--api-key', `${TEST_API_KEY}x`, 'wrong key']), (err: { code: number; stdout: string }) => err.code === 1 && /^401 .*"reason":"bad_key"/.test(err.stdout));
      assert.match((await push(['--api-key', TEST_API_KEY, 'with --api-key'])).stdout, /^200 \{"code":0/);
      assert.match((await push(['from the environment'], { IMGATE_API_KEY: TEST_API_KEY })).stdout, /^200 \{"code":0/);
    } finally {
      await keyed.stop();
    }
  });

  it('explains what it needs', async () => {
    await assert.rejects(run(process.execPath, [CLI, 'push', '--logic', embedded.logicUrl, 'no target']), (err: { code: number; stderr: string }) => err.code === 2 && /exactly one of --keys, --mids, --room, --all/.test(err.stderr));
    await assert.rejects(run(process.execPath, [CLI, 'listen', '--transport', 'quic', '--mid', '1']), (err: { stderr: string }) => /--transport is ws, tcp, kcp, wss, tls \(got "quic"\)/.test(err.stderr));
  });
});
