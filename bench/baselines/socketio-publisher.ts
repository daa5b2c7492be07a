// The business side of the Socket.IO setup: a second Socket.IO process with the same Redis
// adapter, emitting to the room (the adapter publishes it on Redis for the node that holds it).
// Usage (forked): node socketio-publisher.js <adapter key> <room>
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

const [key, room] = [process.argv[2], process.argv[3]];

async function main(): Promise<void> {
  const pub = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const sub = pub.duplicate();
  await Promise.all([new Promise((r) => pub.once('ready', r)), new Promise((r) => sub.once('ready', r))]);
  const io = new Server({ adapter: createAdapter(pub, sub, { key }) });
  process.on('message', (m: { type: string; id?: number; body?: string }) => {
    if (m.type !== 'emit') return;
    io.to(room).emit('m', m.body);
    process.send?.({ type: 'emit', id: m.id });
  });
  process.send?.({ type: 'ready' });
  const stop = () => {
    void io.close();
    pub.disconnect();
    sub.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
