// Builds @imgate/server-client into dist/ with plain tsc, and copies the two proto files it loads
// at run time (logic.proto for gRPC, queue.proto for upstream records) into proto/, so the
// published package needs nothing from the repository.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(join(pkg, 'dist'), { recursive: true, force: true });
mkdirSync(join(pkg, 'proto'), { recursive: true });
for (const name of ['logic.proto', 'queue.proto']) copyFileSync(join(pkg, '..', '..', 'proto', name), join(pkg, 'proto', name));
execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.json')], { cwd: pkg, stdio: 'inherit' });
