// Regenerates the TypeScript types of proto/*.proto into libs/contracts/src/generated (committed).
// With --check, generates into a temp dir and fails when the committed files differ.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const committed = join(root, 'libs/contracts/src/generated');
const check = process.argv.includes('--check');
const out = check ? mkdtempSync(join(tmpdir(), 'imgate-proto-')) : committed;
const protos = readdirSync(join(root, 'proto')).filter((f) => f.endsWith('.proto'));

if (!check) rmSync(committed, { recursive: true, force: true });
execFileSync(
  join(root, 'node_modules/.bin/proto-loader-gen-types'),
  [...protos, '--longs=Number', '--enums=String', '--defaults', '--oneofs',
    '--grpcLib=@grpc/grpc-js', `--outDir=${out}`, `--includeDirs=${join(root, 'proto')}`],
  { cwd: join(root, 'proto'), stdio: 'inherit' },
);

// queue.proto has no service: its aggregate file would only hold unused gRPC scaffolding.
rmSync(join(out, 'queue.ts'), { force: true });
// The generator writes absolute source paths into headers; make them repository-relative so output is stable.
for (const f of readdirSync(out, { recursive: true })) {
  const file = join(out, f);
  if (!statSync(file).isFile()) continue;
  writeFileSync(file, readFileSync(file, 'utf8').split(`${root}/`).join(''));
}

if (check) {
  const list = (dir) => readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).sort();
  const a = list(out);
  const b = list(committed);
  const stale = a.filter((f) => !b.includes(f) || readFileSync(join(out, f), 'utf8') !== readFileSync(join(committed, f), 'utf8'));
  rmSync(out, { recursive: true, force: true });
  if (stale.length || a.length !== b.length) {
    console.error(`generated proto types are stale (${stale.join(', ') || 'file set differs'}); run npm run proto:gen`);
    process.exit(1);
  }
  console.log(`proto types up to date (${relative(root, committed)}, ${a.length} files)`);
}
