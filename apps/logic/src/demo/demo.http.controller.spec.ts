import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { demoFile } from './demo.http.controller';

describe('demoFile', () => {
  const root = '/srv/demo';

  it('serves the demo files and the SDK modules below root', () => {
    assert.deepEqual(demoFile(root, ['index.html']), { path: join(root, 'index.html'), type: 'text/html; charset=utf-8' });
    assert.equal(demoFile(root, ['sdk', 'protocol', 'codec.js'])?.path, join(root, 'sdk/protocol/codec.js'));
    assert.equal(demoFile(root, ['sdk', '', 'index.js'])?.type, 'text/javascript; charset=utf-8');
  });

  it('refuses anything that could leave root or reach hidden and unknown files', () => {
    for (const segments of [['..', 'secret.js'], ['sdk', '..', '..', 'x.js'], ['.env'], ['a\\..\\b.js'], ['a/../../b.js'], ['x\0.js'], ['c:', 'x.js'], [], ['app.ts'], ['sdk', 'index.d.ts.map']]) {
      assert.equal(demoFile(root, segments), undefined, JSON.stringify(segments));
    }
  });
});
