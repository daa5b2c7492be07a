// Socket.IO 4 with @socket.io/redis-adapter on the same Redis: the node the clients connect to.
// Every client joins one room; messages for it arrive through the adapter (Redis pub/sub) from
// the publisher process and go out with Socket.IO's own broadcast (encoded once per message).
// Usage (forked): node socketio-server.js <port> <adapter key> <room>
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const [port, key, room] = [Number(process.argv[2]), process.argv[3], process.argv[4]];

async function main(): Promise<void> {
  const pub = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const sub = pub.duplicate();
  await Promise.all([new Promise((r) => pub.once('ready', r)), new Promise((r) => sub.once('ready', r))]);
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false, adapter: createAdapter(pub, sub, { key }) });
  io.on('connection', (socket) => void socket.join(room));
  process.on('message', (m: { type: string; id?: number }) => {
    if (m.type === 'rooms') process.send?.({ type: 'rooms', id: m.id, rooms: { [room]: io.of('/').adapter.rooms.get(room)?.size ?? 0 } });
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
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
