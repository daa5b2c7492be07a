import type { Server } from 'node:net';

/** Listens on all IPv4 interfaces, as every comet listener does. */
export function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
}
