import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { matchesSecret, secretDigest, weakSecretReason } from './secrets';

/** The repository (source tree), from this spec's place in src/ or dist/. */
function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8 && !(existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'docker-compose.yml'))); i++) dir = dirname(dir);
  return dir;
}

/** Every file an operator copies settings from: compose, manifests, docs, README, scripts, .env examples. */
function shippedFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|md|sh|env|example)$/.test(name) || name.startsWith('.env')) out.push(p);
    }
  };
  for (const d of ['k8s', 'docs', 'deploy', 'scripts']) if (existsSync(join(root, d))) walk(join(root, d));
  for (const f of ['docker-compose.yml', 'README.md', 'Dockerfile', '.env.example']) if (existsSync(join(root, f))) out.push(join(root, f));
  return out;
}

/** Literal values given to a secret-named setting: `NAME=v`, `NAME: v`, `${NAME:-v}`, `--from-literal=NAME=v`. */
function exampleSecrets(text: string): string[] {
  const name = String.raw`[A-Z_]*(?:SECRET|API_KEYS?|JWT_KEYS)[A-Z_]*`;
  const found: string[] = [];
  for (const re of [new RegExp(String.raw`\b${name}\s*(?:=|:(?!-))\s*["']?([^\s"'\`]+)`, 'g'), new RegExp(String.raw`\$\{${name}:?-([^}]+)\}`, 'g')]) {
    for (const m of text.matchAll(re)) {
      const v = m[1].replace(/[,;)]+$/, '');
      // References and generators, not values: $VAR, ${…}, $(openssl …), <placeholders>, "…".
      if (v.length >= 8 && !/^[$<{…]|…|^secretKeyRef$|^\w+\.\w+$/.test(v)) found.push(v);
    }
  }
  return found;
}

describe('weakSecretReason', () => {
  it('calls short, repetitive, sequential, wordy and example values weak', () => {
    assert.match(weakSecretReason('abc') ?? '', /at least 32 characters \(got 3\)/);
    assert.match(weakSecretReason('abababababababababababababababababab') ?? '', /too few distinct/);
    assert.match(weakSecretReason('imgate-compose-demo-secret-NOT-FOR-PRODUCTION') ?? '', /shipped with imgate/);
    assert.match(weakSecretReason('REPLACE-ME-with-a-random-secret-of-at-least-32-bytes') ?? '', /shipped with imgate/);
    assert.match(weakSecretReason('changeme-changeme-changeme-changeme') ?? '', /placeholder/);
    assert.match(weakSecretReason('my-jwt-secret-for-the-gateway-2026') ?? '', /placeholder/);
    assert.match(weakSecretReason('9c1f0e7b2a4d6f8e9c1f0e7b2a4d6f8e9c1f0e7b2a4d6f8e') ?? '', /repeats a shorter pattern/);
    assert.match(weakSecretReason('abcdefghijklmnopqrstuvwxyz0123456789') ?? '', /consecutive characters/);
    assert.match(weakSecretReason('aaaabbbbccccddddeeeeffffgggghhhhiiiijjjj') ?? '', /consecutive characters/);
    assert.match(weakSecretReason('correct-horse-battery-staple-on-a-hill-42') ?? '', /reads like words/);
    assert.match(weakSecretReason('ThisIsMySigningSecretForTokens2026') ?? '', /placeholder/);
    assert.match(weakSecretReason('TOKENS-FOR-THE-CHAT-GATEWAY-2026-Q1') ?? '', /reads like words/);
  });

  it('accepts what openssl rand makes', () => {
    assert.equal(weakSecretReason('9c1f0e7b2a4d6f8e0b1c3d5e7f9a2b4c'), undefined);
    for (let i = 0; i < 200; i++) {
      assert.equal(weakSecretReason(randomBytes(32).toString('hex')), undefined);
      assert.equal(weakSecretReason(randomBytes(48).toString('base64')), undefined);
    }
  });

  it('refuses every example secret shipped in the repository (compose, k8s, docs, README, scripts)', () => {
    const root = repoRoot();
    const files = shippedFiles(root);
    assert.ok(files.some((f) => f.endsWith('docker-compose.yml')) && files.some((f) => f.includes('k8s')), `found the shipped files under ${root}`);
    const examples = files.flatMap((f) => exampleSecrets(readFileSync(f, 'utf8')).map((v) => ({ f, v })));
    for (const { f, v } of examples) assert.ok(weakSecretReason(v) !== undefined, `${f} ships "${v}" as a secret and it is accepted`);
    // The scan itself finds a value the way an example would write it.
    assert.deepEqual(exampleSecrets('LOGIC_JWT_SECRET=abc12345xyz ${IMGATE_JWT_SECRET:-demo-value-1}\n  CLUSTER_SECRET: "$(openssl rand -hex 32)"'), ['abc12345xyz', 'demo-value-1']);
  });
});

describe('secret digests', () => {
  it('matches a presented value against any of several digests', () => {
    const keys = ['9c1f0e7b2a4d6f8e0b1c3d5e7f9a2b4c', '0d2e4f6a8b1c3e5f7a9b2c4d6e8f0a1b'].map((k) => secretDigest(k));
    assert.equal(matchesSecret(keys, '0d2e4f6a8b1c3e5f7a9b2c4d6e8f0a1b'), true);
    assert.equal(matchesSecret(keys, '0d2e4f6a8b1c3e5f7a9b2c4d6e8f0a1'), false);
    assert.equal(matchesSecret([], 'x'), false);
  });
});
