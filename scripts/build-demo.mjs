// Assembles the demo chat (apps/demo) with the SDK's browser build into dist/demo, which logic
// serves at /demo/. Only the modules the browser entry reaches are copied: the Node-only ones
// (TCP, KCP, the Node WebSocket) never ship to a page.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'apps', 'demo');
const esm = join(root, 'packages', 'sdk', 'dist', 'esm');
const out = join(root, 'dist', 'demo');

/** The ES modules reachable from entry through relative imports; anything else is an error. */
function browserGraph(entry) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const [, spec] of code.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g)) {
      if (!spec) continue;
      if (!spec.startsWith('./') && !spec.startsWith('../')) throw new Error(`${relative(root, file)} imports ${spec}, which a browser cannot load`);
      visit(resolve(dirname(file), spec));
    }
  };
  visit(entry);
  return [...seen];
}

if (!existsSync(join(esm, 'index.js'))) {
  console.error('build-demo: packages/sdk/dist/esm is missing; run the SDK build first');
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'sdk'), { recursive: true });
for (const name of readdirSync(source)) {
  if (/\.(html|js|css|svg|ico)$/.test(name)) copyFileSync(join(source, name), join(out, name));
}
for (const file of browserGraph(join(esm, 'index.js'))) {
  const to = join(out, 'sdk', relative(esm, file));
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(file, to);
}
