// Preloaded into a role process (NODE_OPTIONS=--require) by tests: on SIGUSR2 it writes the npm
// packages the process has loaded so far to $IMGATE_MODULE_REPORT, one name a line.
import { writeFileSync } from 'node:fs';

const target = process.env.IMGATE_MODULE_REPORT;
if (target) {
  process.on('SIGUSR2', () => {
    const packages = new Set<string>();
    for (const file of Object.keys(require.cache)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
      if (m) packages.add(m[1]!);
    }
    writeFileSync(target, [...packages].sort().join('\n') + '\n');
  });
}
