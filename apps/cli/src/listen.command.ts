import { readFileSync } from 'node:fs';
import { ImgateClient, type TransportKind } from '@imgate/sdk';
import { intList, UsageError } from './args';

const DEFAULT_NODES: Record<TransportKind, string> = {
  ws: 'ws://127.0.0.1:3102/sub',
  tcp: 'tcp://127.0.0.1:3101',
  kcp: 'kcp://127.0.0.1:3103',
  wss: 'wss://localhost:3103/sub',
  tls: 'tls://localhost:3104',
};

const KINDS = Object.keys(DEFAULT_NODES) as TransportKind[];

/** `imgate listen`: connect through the SDK (reconnecting as it does) and print what arrives. */
export async function listen(o: Map<string, string>): Promise<void> {
  const transport = (o.get('transport') ?? 'ws') as TransportKind;
  if (!KINDS.includes(transport)) throw new UsageError(`--transport is ${KINDS.join(', ')} (got "${transport}")`);
  // A private CA for wss and tls (a self-signed test certificate).
  let ca: Buffer | undefined;
  if (o.has('ca')) {
    try {
      ca = readFileSync(o.get('ca')!);
    } catch (err) {
      throw new UsageError(`--ca cannot be read: ${(err as Error).message}`);
    }
  }
  if (!o.has('token') && !o.has('mid')) throw new UsageError('listen needs --mid (embedded dev mode) or --token (JWT)');
  const logicUrl = o.get('logic');
  const nodes = o.has('url') ? o.get('url')!.split(',').map((u) => u.trim()) : logicUrl ? [] : [DEFAULT_NODES[transport]];
  const client = new ImgateClient({
    nodes,
    logicUrl,
    transport,
    ca,
    token: o.get('token'),
    mid: o.has('mid') ? intList(o.get('mid'), 'mid')[0] : undefined,
    room: o.get('room') ?? '',
    accepts: o.has('accepts') ? intList(o.get('accepts'), 'accepts') : [1000, 1001, 1002],
    checksum: o.has('checksum'),
    platform: 'cli',
  });
  let lastCount: number | undefined;
  client.on('connected', (c) => console.log(`connected to ${c.node} as mid ${c.mid}, key ${c.key}`));
  client.on('message', (m) => console.log(`op ${m.op}: ${m.text()}`));
  client.on('online', (e) => {
    if (e.count !== lastCount) console.log(`online in ${e.room || '(no room)'}: ${e.count}`);
    lastCount = e.count;
  });
  client.on('disconnected', (d) => console.log(`disconnected (${d.code}): ${d.reason}`));
  client.on('reconnecting', (r) => console.log(`reconnecting to ${r.node ?? 'the next node'} in ${r.delayMs} ms (${r.reason})`));
  client.on('kicked', (k) => {
    console.log(`kicked (${k.code}): ${k.reason}`);
    process.exit(1);
  });
  client.on('error', (e) => console.log(`server error (${e.code}): ${e.reason}`));
  process.once('SIGINT', () => {
    client.close();
    process.exit(0);
  });
  for (const room of (o.get('join') ?? '').split(',').filter(Boolean)) void client.joinRoom(room).catch(() => undefined);
  try {
    await client.connect();
  } catch (err) {
    console.error(`cannot connect: ${(err as Error).message}`);
    process.exit(1);
  }
}
