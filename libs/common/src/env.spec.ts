import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Env } from './env';

describe('Env', () => {
  it('returns defaults for unset and blank values', () => {
    const env = new Env({ B: '  ' });
    assert.equal(env.int('A', 7), 7);
    assert.equal(env.str('B', 'x'), 'x');
    assert.deepEqual(env.list('C', ['a']), ['a']);
  });

  it('parses typed values', () => {
    const env = new Env({ P: '3101', F: 'yes', L: 'a, b ,c', E: 'jwt', A: '[::1]:9092' });
    assert.equal(env.port('P', 0), 3101);
    assert.equal(env.bool('F', false), true);
    assert.deepEqual(env.list('L', []), ['a', 'b', 'c']);
    assert.equal(env.oneOf('E', ['jwt', 'dev'] as const, 'dev'), 'jwt');
    assert.equal(env.address('A', ''), '[::1]:9092');
  });

  it('names the variable in every error', () => {
    const env = new Env({ P: '70000', I: '1.5', F: 'maybe', E: 'x', A: 'nohost', U: 'ftp://x', L: ',' });
    const cases: Array<[string, () => unknown]> = [
      ['P', () => env.port('P', 1)],
      ['I', () => env.int('I', 1)],
      ['F', () => env.bool('F', true)],
      ['E', () => env.oneOf('E', ['a', 'b'], 'a')],
      ['A', () => env.address('A', 'h:1')],
      ['U', () => env.url('U', 'redis://h', ['redis:'])],
      ['L', () => env.list('L', ['x'])],
    ];
    for (const [name, read] of cases) {
      assert.throws(read, (err: unknown) => err instanceof ConfigError && err.variable === name && err.message.includes(name));
    }
  });
});
