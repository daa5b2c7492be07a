import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding logic.proto and queue.proto: the package's own proto/ once built, or the
 * repository's proto/ when run from the monorepo (found by walking up either way).
 */
export function protoDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'proto');
    if (existsSync(join(candidate, 'logic.proto')) && existsSync(join(candidate, 'queue.proto'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`@imgate/server-client: proto/ (logic.proto, queue.proto) not found above ${__dirname}`);
}
