// Builds @imgate/sdk: copies the wire codec (libs/protocol) and the KCP engine (libs/kcp) into
// src/ (generated, gitignored: the libs stay the one source of truth), then compiles an ESM and
// a CommonJS build with declarations, and type-checks the browser entry without Node's types.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(pkg, '..', '..');
const tsc = join(repo, 'node_modules', '.bin', 'tsc');

/** Relative imports get a `.js` extension, which ESM in browsers and Node requires. */
function withJsExtensions(code) {
  return code.replace(/(\bfrom\s+['"])(\.{1,2}\/[^'"]+?)(['"])/g, (m, a, path, b) => (path.endsWith('.js') ? m : `${a}${path}.js${b}`));
}

/** Mirrors the library's non-spec sources into target, writing only what changed. */
function mirror(source, target) {
  mkdirSync(target, { recursive: true });
  const wanted = new Map();
  for (const name of readdirSync(source)) {
    if (!name.endsWith('.ts') || name.endsWith('.spec.ts')) continue;
    const from = join(source, name);
    const header = `// GENERATED from ${relative(repo, from)} by packages/sdk/scripts/build.mjs: edit the original.\n`;
    wanted.set(name, header + withJsExtensions(readFileSync(from, 'utf8')));
  }
  for (const name of readdirSync(target)) if (!wanted.has(name)) rmSync(join(target, name), { recursive: true });
  for (const [name, code] of wanted) {
    const to = join(target, name);
    if (!existsSync(to) || readFileSync(to, 'utf8') !== code) writeFileSync(to, code);
  }
}

try {
  mirror(join(repo, 'libs', 'protocol', 'src'), join(pkg, 'src', 'protocol'));
  mirror(join(repo, 'libs', 'kcp', 'src'), join(pkg, 'src', 'kcp'));
  rmSync(join(pkg, 'dist'), { recursive: true, force: true });
  for (const config of ['tsconfig.esm.json', 'tsconfig.cjs.json', 'tsconfig.browser.json']) {
    execFileSync(tsc, ['-p', join(pkg, config)], { cwd: pkg, stdio: 'inherit' });
  }
  // One package, two formats: the nearest package.json tells Node (and TypeScript) which one a file is.
  writeFileSync(join(pkg, 'dist', 'esm', 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(pkg, 'dist', 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
} catch (err) {
  console.error(`@imgate/sdk build failed${err.status === undefined ? `: ${err.message}` : ''}`);
  process.exit(1);
}
