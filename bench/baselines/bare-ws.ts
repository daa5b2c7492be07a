// The ceiling: a bare `ws` server doing the least a real gateway must. It authenticates each
// connection with the same goim packets as comet (op 7 -> op 8), keeps the socket and a small
// session entry in maps (by key and by room), answers heartbeats, and broadcasts a room message
// the idiomatic way, `ws.send(packet)` to each member. Driven by the bench over IPC.
// Usage (forked): node bare-ws.js <port>
import { randomUUID } from 'node:crypto';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { eachPacket, OP_AUTH, OP_AUTH_REPLY, OP_BENCH, OP_HEARTBEAT, OP_HEARTBEAT_REPLY, packet } from '../lib/wire';

interface Session {
  ws: WebSocket;
  key: string;
  mid: number;
  room: string;
}

const sessions = new Map<string, Session>();
const rooms = new Map<string, Set<WebSocket>>();

function toBuffer(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

const wss = new WebSocketServer({ port: Number(process.argv[2]), host: '127.0.0.1', path: '/sub', perMessageDeflate: false, clientTracking: false, maxPayload: 64 * 1024 });

wss.on('connection', (ws) => {
  let session: Session | undefined;
  ws.on('message', (data, isBinary) => {
    if (!isBinary) return ws.close(1003);
    eachPacket(toBuffer(data), (op, body) => {
      if (op === OP_AUTH && !session) {
        const auth = JSON.parse(body.toString()) as { mid: number; room_id: string };
        session = { ws, key: randomUUID(), mid: auth.mid, room: auth.room_id };
        sessions.set(session.key, session);
        let members = rooms.get(session.room);
        if (!members) rooms.set(session.room, (members = new Set()));
        members.add(ws);
        ws.send(packet(OP_AUTH_REPLY, Buffer.from(JSON.stringify({ mid: session.mid, key: session.key, room_id: session.room, heartbeat: 300 }))));
      } else if (op === OP_HEARTBEAT && session) {
        const online = Buffer.alloc(4);
        online.writeInt32BE(rooms.get(session.room)?.size ?? 0);
        ws.send(packet(OP_HEARTBEAT_REPLY, online));
      }
    });
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    if (!session) return;
    sessions.delete(session.key);
    rooms.get(session.room)?.delete(ws);
  });
});

process.on('message', (m: { type: string; id?: number; room?: string; body?: string }) => {
  if (m.type === 'bcast') {
    const pkt = packet(OP_BENCH, Buffer.from(m.body ?? '', 'latin1'));
    let delivered = 0;
    for (const ws of rooms.get(m.room ?? '') ?? []) {
      ws.send(pkt);
      delivered++;
    }
    process.send?.({ type: 'bcast', id: m.id, delivered });
  } else if (m.type === 'sessions') {
    process.send?.({ type: 'sessions', id: m.id, sessions: sessions.size });
  } else if (m.type === 'rooms') {
    process.send?.({ type: 'rooms', id: m.id, rooms: Object.fromEntries([...rooms].map(([r, s]) => [r, s.size])) });
  }
});
wss.on('listening', () => process.send?.({ type: 'ready' }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
