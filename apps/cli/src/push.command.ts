import { intList, UsageError } from './args';

/** goim's room id `type://id` as the room push path wants it: `type=…&room=…` (type `live` by default). */
function roomQuery(room: string): string {
  const m = /^([^:/]+):\/\/(.+)$/.exec(room);
  return new URLSearchParams({ type: m ? m[1] : 'live', room: m ? m[2] : room }).toString();
}

/**
 * `imgate push`: to keys, users, a room or everyone, through logic's goim-compatible HTTP API, with
 * the API key from --api-key or IMGATE_API_KEY (the embedded default without keys needs none).
 */
export async function push(o: Map<string, string>, positional: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const logic = (o.get('logic') ?? 'http://127.0.0.1:3111').replace(/\/+$/, '');
  const op = intList(o.get('op') ?? '1000', 'op')[0];
  const message = positional.join(' ');
  if (!message) throw new UsageError('push needs a MESSAGE');
  const targets = ['keys', 'mids', 'room', 'all'].filter((t) => o.has(t));
  if (targets.length !== 1) throw new UsageError('push needs exactly one of --keys, --mids, --room, --all');
  let path: string;
  if (o.has('keys')) path = `keys?operation=${op}&${o.get('keys')!.split(',').map((k) => `keys=${encodeURIComponent(k.trim())}`).join('&')}`;
  else if (o.has('mids')) path = `mids?operation=${op}&${intList(o.get('mids'), 'mids').map((m) => `mids=${m}`).join('&')}`;
  else if (o.has('room')) path = `room?operation=${op}&${roomQuery(o.get('room')!)}`;
  else path = `all?operation=${op}${o.has('speed') ? `&speed=${intList(o.get('speed'), 'speed')[0]}` : ''}`;
  const key = o.get('api-key') ?? env.IMGATE_API_KEY;
  const res = await fetch(`${logic}/goim/push/${path}`, { method: 'POST', body: message, headers: key ? { Authorization: `Bearer ${key}` } : {} });
  console.log(`${res.status} ${await res.text()}`);
  if (!res.ok) process.exitCode = 1;
}
