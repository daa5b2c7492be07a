import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { type Embedded, launchChromium, post, repoRoot, startEmbedded } from '@imgate/testing';

/** Node 22 and later have a global WebSocket; before that the SDK needs its optional peer, ws. */
const hasGlobalWebSocket = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function';

/** Built at run time: the build's alias rewriting (tsc-alias) would turn a literal into a path into the monorepo. */
const PKG = ['@imgate', 'sdk'].join('/');

const NODE_SCRIPT = (kind: 'cjs' | 'esm') => `
${kind === 'cjs' ? `const { ImgateClient, Op } = require('${PKG}');` : `import { ImgateClient, Op } from '${PKG}';\nimport * as browser from '${PKG}/browser';`}
const [ws, tcp, logic, mid] = process.argv.slice(2);
const run = async () => {
  const out = [];
  for (const node of [ws, tcp]) {
    const client = new ImgateClient({ nodes: [node], mid: Number(mid), room: 'live://pack' });
    const info = await client.connect();
    const got = new Promise((resolve) => client.once('message', (m) => resolve(m.text())));
    await fetch(logic + '/goim/push/mids?operation=1000&mids=' + mid, { method: 'POST', body: 'to ${kind} over ' + info.transport });
    out.push({ transport: info.transport, mid: info.mid, text: await got, sendMsg: Op.SendMsg });
    client.close();
  }
  ${kind === 'esm' ? "out.push({ browserEntry: typeof browser.ImgateClient, nodeOnlyInBrowserEntry: 'tcpTransport' in browser });" : ''}
  console.log(JSON.stringify(out));
};
run().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
`;

/** Without the ws package: on a Node with a global WebSocket it connects, elsewhere connect() says to install ws. */
const BARE_SCRIPT = (kind: 'cjs' | 'esm') => `
${kind === 'cjs' ? `const { ImgateClient } = require('${PKG}');` : `import { ImgateClient } from '${PKG}';`}
const [ws, mid] = process.argv.slice(2);
const client = new ImgateClient({ nodes: [ws], mid: Number(mid) });
client.connect().then(
  (c) => { console.log(JSON.stringify({ transport: c.transport })); client.close(); process.exit(0); },
  (e) => { console.log(JSON.stringify({ code: e.code, message: e.message })); process.exit(0); },
);
`;

// Op and Packet come from the bundled codec: were its declarations unresolved, Op would be any and the expected error would not come.
const TYPES_ESM = `import { decode, encode, ImgateClient, Op, type ConnectedEvent, type ImgateMessage, type Packet } from '${PKG}';
const client = new ImgateClient({ nodes: ['kcp://127.0.0.1:3103'], kcp: { mtu: 1200 }, heartbeat: { shrink: 'min' } });
const connected: Promise<ConnectedEvent> = client.connect();
client.on('message', (m: ImgateMessage) => void m.op.toFixed());
// @ts-expect-error: not an event of the client
client.on('nope', () => undefined);
const packet: Packet = decode(encode({ op: Op.SendMsg, body: new Uint8Array(1) }));
void packet.seq.toFixed();
// @ts-expect-error: not an operation
void Op.NoSuchOp;
export { connected };
`;

const TYPES_CJS = `import sdk = require('${PKG}');
const client: sdk.ImgateClient = new sdk.ImgateClient({ nodes: ['ws://127.0.0.1:3102/sub'], mid: 1 });
client.on('online', (e) => void e.count.toFixed());
// @ts-expect-error: transport is ws, tcp or kcp
new sdk.ImgateClient({ nodes: [], transport: 'quic' });
export = client;
`;

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>plain module page</title>
<script type="module">
  import { ImgateClient } from './sdk/index.js';
  const params = new URLSearchParams(location.search);
  window.result = { messages: [] };
  const client = new ImgateClient({ nodes: [params.get('ws')], mid: Number(params.get('mid')), room: 'live://page' });
  client.on('message', (m) => window.result.messages.push(m.text()));
  client.connect().then((c) => (window.result.connected = c), (e) => (window.result.error = String(e)));
</script>
`;

/** A static server for the page and, under /sdk/, the installed package's browser build. */
function serve(page: string, sdkDir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    let file = path === '/' || path === '/index.html' ? page : path.startsWith('/sdk/') ? resolve(sdkDir, `.${path.slice(4)}`) : '';
    if (file !== page && !file.startsWith(sdkDir + sep)) file = '';
    try {
      if (!file || !statSync(file).isFile()) throw new Error('missing');
      res.writeHead(200, { 'Content-Type': extname(file) === '.js' ? 'text/javascript' : 'text/html' }).end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

describe('npm pack of @imgate/sdk, installed into a fresh project', () => {
  const root = repoRoot();
  const sdk = join(root, 'packages', 'sdk');
  let tmp: string;
  let app: string;
  let bare: string;
  let tarball: string;
  let files: string[];
  let embedded: Embedded;
  let browser: Browser | undefined;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'imgate-sdk-pack-'));
    // The build already ran (npm run build); --ignore-scripts skips prepack's rebuild.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: sdk, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(tmp, packed[0].filename);
    files = packed[0].files.map((f) => f.path);
    for (const f of ['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/esm/node.js', 'dist/esm/package.json', 'dist/cjs/index.js', 'dist/cjs/node.d.ts', 'dist/cjs/package.json']) {
      assert.ok(files.includes(f), `the tarball lacks ${f}`);
    }
    assert.ok(!files.some((f) => f.startsWith('src/') || f.includes('.spec.') || f.includes('testing/')), files.join(' '));
    // ws, the SDK's optional peer for Node without a global WebSocket, packed from the monorepo's copy.
    const wsPacked = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp, join(root, 'node_modules', 'ws')], { cwd: tmp, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ filename: string }>;
    const install = (dir: string, tarballs: string[]) => {
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `sdk-consumer-${basename(dir)}`, version: '1.0.0', private: true }));
      // Offline: the package has no dependencies (its workspace libs are bundled), so the tarballs are all npm needs.
      execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    };
    app = join(tmp, 'app');
    install(app, [tarball, join(tmp, wsPacked[0].filename)]);
    bare = join(tmp, 'bare');
    install(bare, [tarball]);
    embedded = await startEmbedded('sdk-pack');
  });
  after(async () => {
    await browser?.close();
    await embedded?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('bundles its workspace libs: no dependencies, ws an optional peer, declarations that import nothing', () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', '@imgate', 'sdk', 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(manifest.peerDependencies, { ws: '^8.0.0' });
    assert.deepEqual(manifest.peerDependenciesMeta, { ws: { optional: true } });
    assert.ok(!files.some((f) => f.includes('node_modules')), files.join(' '));
    const dist = join(app, 'node_modules', '@imgate', 'sdk', 'dist');
    for (const file of files.filter((f) => f.startsWith('dist/') && /\.(js|d\.ts)$/.test(f))) {
      const code = readFileSync(join(dist, '..', file), 'utf8');
      assert.doesNotMatch(code, /@imgate\/(protocol|kcp)/, `${file} refers to a workspace lib`);
      if (file.endsWith('.d.ts')) assert.doesNotMatch(code, /\bimport\b|\brequire\(|<reference/, `${file} imports something`);
    }
    // The browser entry: one module, nothing from Node (esbuild's browser platform and the DOM-only type-check enforce it; this checks what shipped).
    for (const file of ['esm/index.js', 'cjs/index.js']) {
      const code = readFileSync(join(dist, file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      assert.doesNotMatch(code, /\b(Buffer|process|__dirname|__filename)\b|['"`]node:|\brequire\(|\bimport\s*\(|\bfrom\s*['"]/, file);
    }
  });

  for (const kind of ['cjs', 'esm'] as const) {
    it(`without the ws package (${kind}): ${hasGlobalWebSocket ? 'connects over the runtime\'s WebSocket' : 'connect() rejects with no_websocket, naming ws'}`, () => {
      const script = join(bare, kind === 'cjs' ? 'bare.cjs' : 'bare.mjs');
      writeFileSync(script, BARE_SCRIPT(kind));
      const out = JSON.parse(execFileSync(process.execPath, [script, embedded.wsUrl, '604'], { cwd: bare, encoding: 'utf8', timeout: 30_000 }).trim().split('\n').at(-1)!) as { transport?: string; code?: string; message?: string };
      if (hasGlobalWebSocket) assert.deepEqual(out, { transport: 'ws' });
      else {
        assert.equal(out.code, 'no_websocket');
        assert.match(out.message ?? '', /ws package is not installed: npm install ws/);
      }
    });
  }

  for (const kind of ['cjs', 'esm'] as const) {
    it(`is used from ${kind === 'cjs' ? 'require()' : 'import'}: WebSocket (${hasGlobalWebSocket ? 'global' : 'the ws peer'}) and TCP, auth, a push`, () => {
      const script = join(app, kind === 'cjs' ? 'use.cjs' : 'use.mjs');
      writeFileSync(script, NODE_SCRIPT(kind));
      const mid = kind === 'cjs' ? 601 : 602;
      const out = execFileSync(process.execPath, [script, embedded.wsUrl, `tcp://127.0.0.1:${embedded.tcp}`, embedded.logicUrl, String(mid)], { cwd: app, encoding: 'utf8', timeout: 30_000 });
      const expected: unknown[] = [
        { transport: 'ws', mid, text: `to ${kind} over ws`, sendMsg: 4 },
        { transport: 'tcp', mid, text: `to ${kind} over tcp`, sendMsg: 4 },
      ];
      if (kind === 'esm') expected.push({ browserEntry: 'function', nodeOnlyInBrowserEntry: false });
      assert.deepEqual(JSON.parse(out.trim().split('\n').at(-1)!), expected);
    });
  }

  it('type-checks for TypeScript consumers through both the import and the require conditions', () => {
    writeFileSync(join(app, 'check.mts'), TYPES_ESM);
    writeFileSync(join(app, 'check.cts'), TYPES_CJS);
    // A browser-ish consumer: DOM types, no @types/node; the SDK's declarations are checked too (no skipLibCheck).
    const compilerOptions = { noEmit: true, strict: true, module: 'node16', moduleResolution: 'node16', target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: false };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.mts', 'check.cts'] }));
    try {
      execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', app], { cwd: app, encoding: 'utf8' });
    } catch (err) {
      assert.fail(`tsc rejected the consumer code:\n${(err as { stdout?: string }).stdout}`);
    }
  });

  it('is used from a plain <script type="module"> page in Chromium: connects to the comet and gets a push', async () => {
    const web = join(tmp, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'index.html'), PAGE);
    const server = await serve(join(web, 'index.html'), join(app, 'node_modules', '@imgate', 'sdk', 'dist', 'esm'));
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/?ws=${encodeURIComponent(embedded.wsUrl)}&mid=603`);
      // Strings: they run in the page, and the root build has no DOM types.
      await page.waitForFunction('window.result?.connected || window.result?.error', undefined, { timeout: 15_000 });
      const result = (await page.evaluate('window.result')) as { connected?: { mid: number; transport: string }; error?: string };
      assert.equal(result.error, undefined);
      assert.equal(result.connected?.mid, 603);
      assert.equal(result.connected?.transport, 'ws');
      const res = await post(`${embedded.logicUrl}/goim/push/mids?operation=1000&mids=603`, 'to the module page');
      assert.equal(res.status, 200);
      await page.waitForFunction("window.result.messages.includes('to the module page')", undefined, { timeout: 10_000 });
      assert.deepEqual(errors, []);
      // The browser entry is one bundle, the codec inside it: nothing else is fetched, nothing Node-only.
      assert.deepEqual(requested.filter((p) => p.startsWith('/sdk/')), ['/sdk/index.js']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
