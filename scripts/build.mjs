// Builds imgate from the project map in nest-cli.json.
//
//   node scripts/build.mjs                 # npm run build: every role (the runtime tree in dist/)
//   node scripts/build.mjs embedded comet  # only the named apps of nest-cli.json
//   node scripts/build.mjs --dev           # also specs, e2e tests, the test harness and bench (npm test, npm run bench)
//
// Apps are compiled by `nest build <app>` (tsc builder), each from its own tsconfig.app.json,
// which leaves specs, tests and bench out: what the runtime image holds. The SDK (packages/sdk),
// the business-service client (packages/server-client) and the demo chat that uses the SDK's
// browser build come first.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

const args = process.argv.slice(2);
const dev = args.includes('--dev');
const projects = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8')).projects;
const apps = Object.keys(projects).filter((name) => projects[name].type === 'application');
const named = args.filter((a) => !a.startsWith('--'));
const unknown = named.filter((a) => !apps.includes(a));
if (unknown.length) {
  console.error(`build: unknown app ${unknown.join(', ')} (nest-cli.json has ${apps.join(', ')})`);
  process.exit(2);
}

/** Compiled files that still require an @imgate/* path alias. */
function unresolved(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'demo') unresolved(p, out);
    } else if (p.endsWith('.js') && /require\("@imgate\//.test(readFileSync(p, 'utf8'))) out.push(p.slice(root.length + 1));
  }
  return out;
}

try {
  run(process.execPath, ['packages/sdk/scripts/build.mjs']);
  run(process.execPath, ['packages/server-client/scripts/build.mjs']);
  run(bin('nest'), ['build', ...(named.length ? named : apps)]);
  // One tsc over everything into the same tree: specs, e2e tests, libs/testing and bench beside the roles.
  if (dev) run(bin('tsc'), ['-p', 'tsconfig.json']);
  // The @imgate/* paths become relative requires. Nest's own rewrite leaves alone the ones npm
  // workspaces also link into node_modules (@imgate/protocol, @imgate/kcp), whose packages point
  // at TypeScript sources Node cannot run.
  run(bin('tsc-alias'), ['-p', 'tsconfig.json']);
  const left = unresolved(join(root, 'dist'));
  if (left.length) {
    console.error(`build: @imgate/* imports left in the output (Node would load TypeScript sources):\n  ${left.join('\n  ')}`);
    throw new Error('unresolved imports');
  }
  run(process.execPath, ['scripts/build-demo.mjs']);
} catch {
  console.error('build failed');
  process.exit(1);
}
