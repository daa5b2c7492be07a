import { callUnary } from '@imgate/common';
import type { CometClient } from '@imgate/contracts';
import { apiHeaders } from '@imgate/testing';
import { Agent, request } from 'node:http';
import type { BenchProc } from '../lib/procs';
import { OP_BENCH } from '../lib/wire';

/** Sends one room message to the system under test; resolves when the system took it. */
export type Send = (body: string) => Promise<void>;

/** The bare ws server over IPC: resolves once it has written the message to every member. */
export function bareSender(server: BenchProc, room: string): Send {
  return async (body) => {
    await server.request({ type: 'bcast', room, body });
  };
}

/** Comet alone: gRPC BroadcastRoom straight to the comet (what job calls). */
export function cometSender(client: CometClient, room: string): Send {
  return async (body) => {
    await callUnary(client.BroadcastRoom, client, { room, operation: OP_BENCH, bodies: [Buffer.from(body, 'latin1')] }, 30_000);
  };
}

/** The full path: goim's HTTP room push to logic (answered after Kafka acknowledged). */
export function httpRoomSender(logicUrl: string, type: string, room: string, sockets: number): Send {
  const url = new URL(`/goim/push/room?operation=${OP_BENCH}&type=${encodeURIComponent(type)}&room=${encodeURIComponent(room)}`, logicUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return (body) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body), ...apiHeaders() } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 200) resolve();
          else reject(new Error(`room push answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`));
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('room push timed out')));
      req.on('error', reject);
      req.end(body);
    });
}

/** Socket.IO: the publisher process emits to the room through the Redis adapter. */
export function sioSender(publisher: BenchProc): Send {
  return async (body) => {
    await publisher.request({ type: 'emit', body });
  };
}
