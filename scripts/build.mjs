// Compiles the whole monorepo (apps, libs, specs) with tsc, then rewrites the @imgate/* path aliases.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

try {
  run(process.execPath, ['packages/sdk/scripts/build.mjs']);
  run(bin('tsc'), ['-p', 'tsconfig.json']);
  run(bin('tsc-alias'), ['-p', 'tsconfig.json']);
  run(process.execPath, ['scripts/build-demo.mjs']);
} catch {
  console.error('build failed');
  process.exit(1);
}
