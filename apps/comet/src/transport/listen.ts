import type { Server } from 'node:net';

/** Listens on COMET_LISTEN_HOST (all IPv4 interfaces, or loopback under the embedded default's dev auth). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
