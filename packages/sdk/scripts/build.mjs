// Builds @imgate/sdk into dist/: type-checks the sources, bundles each entry (browser: index,
// Node: node) as ESM and as CommonJS with esbuild, and writes one declaration file per entry
// with dts-bundle-generator. The workspace packages @imgate/protocol and @imgate/kcp are
// bundled into both, code and types, so the published package depends on neither.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const WORKSPACE_LIBS = ['@imgate/protocol', '@imgate/kcp'];

const entries = [
  // The browser entry may reach no Node built-in: esbuild's browser platform fails on one.
  { name: 'index', platform: 'browser' },
  { name: 'node', platform: 'node' },
];
const formats = [
  // The ESM Node bundle has no __filename; ws-package.ts resolves `ws` from import.meta.url there.
  { format: 'esm', define: { __filename: 'import.meta.url' } },
  { format: 'cjs', define: {} },
];

/** The browser entry without Node's types; the Node entry is type-checked by the declaration step. */
function typecheckBrowser() {
  execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.browser.json')], { cwd: pkg, stdio: 'inherit' });
}

async function bundle() {
  for (const { format, define } of formats) {
    for (const { name, platform } of entries) {
      await build({
        absWorkingDir: pkg,
        entryPoints: [join(pkg, 'src', `${name}.ts`)],
        outfile: join(pkg, 'dist', format, `${name}.js`),
        bundle: true,
        format,
        platform,
        target: 'es2020',
        define: platform === 'node' ? define : {},
        // `ws` is an optional peer, required at run time only where Node has no WebSocket.
        external: ['ws'],
        logLevel: 'warning',
      });
    }
    // One package, two formats: the nearest package.json tells Node (and TypeScript) which one a file is.
    writeFileSync(join(pkg, 'dist', format, 'package.json'), `{ "type": "${format === 'esm' ? 'module' : 'commonjs'}" }\n`);
  }
}

async function declarations() {
  // Loaded only here: it pulls in the TypeScript compiler.
  const { generateDtsBundle } = require('dts-bundle-generator');
  // TypeScript emits no declarations for sources it reached through node_modules (the workspace
  // symlinks), so each lib's entry is a root of the same program too; those bundles are dropped.
  const libRoots = WORKSPACE_LIBS.map((name) => ({ filePath: require.resolve(name) }));
  const dts = generateDtsBundle(
    [
      ...entries.map(({ name }) => ({
        filePath: join(pkg, 'src', `${name}.ts`),
        libraries: { inlinedLibraries: WORKSPACE_LIBS },
        output: { noBanner: true, exportReferencedTypes: false },
      })),
      ...libRoots,
    ],
    { preferredConfigPath: join(pkg, 'tsconfig.json') },
  );
  entries.forEach(({ name }, i) => {
    // The same declarations serve both formats: they import nothing, so nothing resolves differently.
    for (const { format } of formats) writeFileSync(join(pkg, 'dist', format, `${name}.d.ts`), dts[i]);
  });
}

try {
  typecheckBrowser();
  rmSync(join(pkg, 'dist'), { recursive: true, force: true });
  for (const { format } of formats) mkdirSync(join(pkg, 'dist', format), { recursive: true });
  await bundle();
  await declarations();
} catch (err) {
  console.error(`@imgate/sdk build failed${err.status === undefined ? `: ${err.message}` : ''}`);
  process.exit(1);
}
