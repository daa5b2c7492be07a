import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The codec also runs in browsers: guard the compiled modules beside this spec.
describe('protocol purity', () => {
  const modules = readdirSync(__dirname).filter((f) => f.endsWith('.js') && !f.endsWith('.spec.js'));

  it('finds the compiled modules', () => {
    assert.ok(modules.includes('codec.js') && modules.includes('stream-decoder.js'), modules.join(', '));
  });

  for (const file of modules) {
    it(`${file} requires only its siblings and no Node or timer globals`, () => {
      const code = readFileSync(join(__dirname, file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      for (const [, target] of code.matchAll(/require\("([^"]+)"\)/g)) {
        assert.match(target!, /^\.\/[a-z0-9-]+$/, `${file} requires ${target}`);
      }
      assert.doesNotMatch(code, /\b(Buffer|process|setTimeout|setInterval|setImmediate|globalThis)\b/);
    });
  }
});
