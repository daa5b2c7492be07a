import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

/** packages/sdk, found from this file whether it runs from src/ or from the compiled dist/. */
function packageDir(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'packages', 'sdk');
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new Error('packages/sdk not found');
}

/** Every module the file reaches through static imports, with the specifiers it imports. */
function graph(entry: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (file: string) => {
    if (out.has(file)) return;
    const code = readFileSync(file, 'utf8');
    const specs = [...code.matchAll(/\b(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2]);
    out.set(file, specs);
    for (const spec of specs) if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
  };
  visit(entry);
  return out;
}

describe('@imgate/sdk build', () => {
  const pkg = packageDir();
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; dependencies?: object; files: string[] };

  it('the browser ESM entry reaches only relative modules with no Node built-ins or globals', () => {
    const modules = graph(join(pkg, 'dist', 'esm', 'index.js'));
    assert.ok(modules.size > 10, `only ${modules.size} modules`);
    for (const [file, specs] of modules) {
      const name = relative(pkg, file);
      for (const spec of specs) assert.match(spec, /^\.\.?\/[\w./-]+\.js$/, `${name} imports ${spec}`);
      const code = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      assert.doesNotMatch(code, /\b(Buffer|process|require|__dirname)\b|['"`]node:/, name);
    }
    const names = [...modules.keys()].map((f) => relative(join(pkg, 'dist', 'esm'), f));
    assert.ok(!names.some((n) => /tcp|kcp|node-websocket|^node\.js$/.test(n)), names.join(', '));
  });

  it('the codec in the package is the one in libs/protocol, generated, not a fork', () => {
    const copy = readFileSync(join(pkg, 'src', 'protocol', 'codec.ts'), 'utf8');
    const original = readFileSync(join(pkg, '..', '..', 'libs', 'protocol', 'src', 'codec.ts'), 'utf8');
    assert.match(copy, /^\/\/ GENERATED from libs\/protocol\/src\/codec\.ts/);
    assert.equal(copy.split('\n').slice(1).join('\n').replace(/(from '\.\/[\w-]+)\.js'/g, "$1'"), original);
  });

  it('every export target exists, ESM and CommonJS builds are marked as such, and there are no runtime dependencies', () => {
    const targets: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(manifest.exports);
    assert.ok(targets.length >= 12);
    for (const t of targets) assert.ok(existsSync(join(pkg, t)), `${t} is missing`);
    assert.deepEqual(JSON.parse(readFileSync(join(pkg, 'dist', 'esm', 'package.json'), 'utf8')), { type: 'module' });
    assert.deepEqual(JSON.parse(readFileSync(join(pkg, 'dist', 'cjs', 'package.json'), 'utf8')), { type: 'commonjs' });
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(manifest.files, ['dist', 'README.md']);
  });
});
