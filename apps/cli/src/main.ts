#!/usr/bin/env node
import { decode, encode, Op } from '@imgate/protocol';
import { WebSocket } from 'ws';
import { intList, parseArgs, UsageError } from './args';

const USAGE = `imgate — command-line client for an imgate cluster

  imgate listen [--url ws://127.0.0.1:3102/sub] (--mid 123 | --token JWT) [--room live://1000]
                [--accepts 1000,1001] [--checksum]
      connect to a comet, authenticate, heartbeat, and print every message that arrives

  imgate push (--keys k1,k2 | --mids 1,2) [--op 1000] [--logic http://127.0.0.1:3111] MESSAGE
      push MESSAGE through logic's HTTP API and print logic's answer
`;

async function listen(o: Map<string, string>): Promise<void> {
  const url = o.get('url') ?? 'ws://127.0.0.1:3102/sub';
  const auth: Record<string, unknown> = {
    room_id: o.get('room') ?? '',
    platform: 'cli',
    accepts: o.has('accepts') ? intList(o.get('accepts'), 'accepts') : [1000, 1001, 1002],
  };
  if (o.has('token')) auth.token = o.get('token');
  else if (o.has('mid')) auth.mid = intList(o.get('mid'), 'mid')[0];
  else throw new UsageError('listen needs --mid (embedded dev mode) or --token (JWT)');
  const checksum = o.has('checksum');
  const ws = new WebSocket(url);
  let seq = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const send = (op: number, body = new Uint8Array(0)) => ws.send(encode({ op, seq: ++seq, body, checksum }));
  ws.on('open', () => send(Op.Auth, new TextEncoder().encode(JSON.stringify(auth))));
  ws.on('message', (data: Buffer) => {
    const p = decode(Uint8Array.from(data));
    const text = new TextDecoder().decode(p.body);
    if (p.op === Op.AuthReply) {
      const reply = JSON.parse(text) as { key: string; mid: number; heartbeat: number };
      console.log(`connected to ${url} as mid ${reply.mid}, key ${reply.key}`);
      heartbeat = setInterval(() => send(Op.Heartbeat), Math.max(1, reply.heartbeat / 2) * 1000);
    } else if (p.op === Op.HeartbeatReply) {
      // quiet: heartbeats are not news
    } else if (p.op === Op.DisconnectReply || p.op === Op.Kick) {
      console.log(`disconnected by the server: ${text}`);
    } else {
      console.log(`op ${p.op}${p.checksum ? ' (checksummed)' : ''}: ${text}`);
    }
  });
  ws.on('close', (code) => {
    clearInterval(heartbeat);
    console.log(`connection closed (${code})`);
    process.exit(code === 1000 ? 0 : 1);
  });
  ws.on('error', (err) => {
    console.error(`cannot connect to ${url}: ${err.message}`);
    process.exit(1);
  });
  process.once('SIGINT', () => ws.close());
}

async function push(o: Map<string, string>, positional: string[]): Promise<void> {
  const logic = o.get('logic') ?? 'http://127.0.0.1:3111';
  const op = intList(o.get('op') ?? '1000', 'op')[0];
  const message = positional.join(' ');
  if (!message) throw new UsageError('push needs a MESSAGE');
  let path: string;
  if (o.has('keys')) path = `keys?operation=${op}&${o.get('keys')!.split(',').map((k) => `keys=${encodeURIComponent(k)}`).join('&')}`;
  else if (o.has('mids')) path = `mids?operation=${op}&${intList(o.get('mids'), 'mids').map((m) => `mids=${m}`).join('&')}`;
  else throw new UsageError('push needs --keys or --mids');
  const res = await fetch(`${logic}/goim/push/${path}`, { method: 'POST', body: message });
  console.log(`${res.status} ${await res.text()}`);
  if (!res.ok) process.exitCode = 1;
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { options, positional } = parseArgs(rest, ['checksum']);
  if (command === 'listen') return listen(options);
  if (command === 'push') return push(options, positional);
  console.log(USAGE);
  if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) console.error(`${err.message}\n\n${USAGE}`);
  else console.error((err as Error).message);
  process.exit(2);
});
