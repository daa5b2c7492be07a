// The benchmark's clients, in their own process so they can live inside the lossy network
// namespace (`ip netns exec … node client-agent.main.js`) or behind the relay. Driven over IPC by
// bench/kcp-loss.ts; receipt times are process.hrtime (CLOCK_MONOTONIC, shared by every process
// on the machine), so the parent can subtract its own send times from them.
import 'reflect-metadata';
import { ProtoClient } from '@imgate/testing';

export type Transport = 'kcp' | 'tcp' | 'ws';
export const TRANSPORTS: Transport[] = ['kcp', 'tcp', 'ws'];

export interface AgentEndpoints {
  kcp: { host: string; port: number; bindAddress: string };
  tcp: { host: string; port: number };
  ws: string;
}

export type AgentRequest =
  | { type: 'connect'; endpoints: AgentEndpoints; token: string; clients: number; op: number }
  | { type: 'close' };

export type AgentReply =
  | { type: 'connected' }
  | { type: 'closed' }
  | { type: 'error'; message: string }
  /** `t`: the receipt time in microseconds of process.hrtime. */
  | { type: 'rx'; transport: Transport; client: number; body: string; t: number };

export const hrtimeMicros = (): number => Number(process.hrtime.bigint() / 1000n);

function connect(transport: Transport, e: AgentEndpoints): Promise<ProtoClient> {
  if (transport === 'tcp') return ProtoClient.tcp(e.tcp.port, {}, e.tcp.host);
  if (transport === 'ws') return ProtoClient.ws(e.ws);
  // A stock-ikcp-range conv (below 0x80000000): the comet never sends this peer extension commands.
  const conv = 0x1000 + Math.floor(Math.random() * 0x70000000);
  return ProtoClient.kcp(e.kcp.port, { conv, bindAddress: e.kcp.bindAddress }, e.kcp.host);
}

async function main(): Promise<void> {
  const reply = (m: AgentReply) => process.send?.(m);
  const decoder = new TextDecoder();
  let open: ProtoClient[] = [];
  const closeAll = () => {
    for (const c of open) c.close();
    open = [];
  };
  process.on('message', async (raw: unknown) => {
    const m = raw as AgentRequest;
    if (m.type === 'close') {
      closeAll();
      reply({ type: 'closed' });
      return;
    }
    try {
      const made = await Promise.all(
        TRANSPORTS.flatMap((transport) =>
          Array.from({ length: m.clients }, async (_, client) => {
            const c = await connect(transport, m.endpoints);
            open.push(c);
            c.onPacket = (p) => {
              if (p.op === m.op) reply({ type: 'rx', transport, client, body: decoder.decode(p.body), t: hrtimeMicros() });
            };
            await c.auth({ token: m.token, accepts: [m.op] });
            return c;
          }),
        ),
      );
      if (made.some((c) => c.closed)) throw new Error('a client was closed right after auth');
      reply({ type: 'connected' });
    } catch (err) {
      closeAll();
      reply({ type: 'error', message: (err as Error).message });
    }
  });
  // Never outlive the bench.
  process.on('disconnect', () => {
    closeAll();
    process.exit(0);
  });
}

if (require.main === module) void main();
