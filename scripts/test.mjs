// The whole test suite: lint, build, unit specs, then end-to-end tests against real Redis and Kafka
// (started by scripts/services.sh when not already running, stopped again at the end).
// Usage: node scripts/test.mjs [--unit | --e2e] [--no-lint] [--redis-cluster] [name-filter ...]
//
// On a Redis Cluster: REDIS_CLUSTER_NODES=127.0.0.1:7000,... runs the end-to-end tests against that
// cluster; --redis-cluster (or IMGATE_TEST_REDIS_CLUSTER=1; `npm run test:cluster`) starts the local
// one (scripts/redis-cluster.sh up on REDIS_CLUSTER_PORT, default 7000-7005, left running) and sets
// REDIS_CLUSTER_NODES itself.
//
// The last line counts passed, failed and skipped tests. Under CI a skipped test fails the run
// unless scripts/skip-allowlist.json names it with the reason it may skip there.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all';
const filters = args.filter((a) => !a.startsWith('--'));
mkdirSync(join(root, 'test-output'), { recursive: true });
const pidFile = join(root, 'test-output', `.pids-${process.pid}`);
process.env.IMGATE_TEST_PIDS = pidFile;

function sh(cmd, argv) {
  execFileSync(cmd, argv, { cwd: root, stdio: 'inherit', env: process.env });
}

function find(dir, suffix, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, suffix, out);
    else if (p.endsWith(suffix)) out.push(p);
  }
  return out;
}

const pick = (files) => files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();

const allowed = new Map(JSON.parse(readFileSync(join(root, 'scripts', 'skip-allowlist.json'), 'utf8')).map((a) => [a.test, a.reason]));
const skippedNames = [];

async function suite(label, files, concurrency, timeout) {
  if (files.length === 0) return { pass: 0, fail: 0, skip: 0 };
  console.log(`\n== ${label}: ${files.length} files`);
  let pass = 0;
  let fail = 0;
  let skip = 0;
  const stream = run({ files, concurrency, timeout });
  stream.on('test:pass', (d) => {
    const skipped = d.skip !== undefined || d.todo !== undefined;
    // A suite counts only when it is skipped itself: its tests then never run, nor report.
    if (d.details?.type === 'suite' && !skipped) return;
    // node:test reports a skipped (or todo) test as passed: it is not.
    if (skipped) {
      skip++;
      skippedNames.push({ name: d.name, file: d.file, why: String(d.skip ?? d.todo) });
    } else pass++;
  });
  stream.on('test:fail', (d) => {
    if (d.details?.type !== 'suite') fail++;
  });
  const done = new Promise((resolve) => stream.on('end', resolve));
  stream.compose(spec).pipe(process.stdout, { end: false });
  await done;
  return { pass, fail, skip };
}

let totals = { pass: 0, fail: 0, skip: 0 };
const add = (r) => (totals = { pass: totals.pass + r.pass, fail: totals.fail + r.fail, skip: totals.skip + r.skip });
let servicesUp = false;
try {
  if (only !== 'unit') {
    console.log('== setup');
    sh('bash', ['scripts/setup-test.sh']);
  }
  if (!args.includes('--no-lint')) {
    console.log('== lint (typescript-eslint, zero warnings)');
    try {
      sh(join(root, 'node_modules', '.bin', 'eslint'), ['--max-warnings', '0', '.']);
      console.log('lint: clean');
    } catch {
      console.error('lint failed (counted as one failure)');
      totals.fail++;
    }
  }
  console.log('== build');
  sh(process.execPath, ['scripts/build.mjs', '--dev']);
  sh(process.execPath, ['scripts/proto-gen.mjs', '--check']);
  const dist = join(root, 'dist');
  if (only !== 'e2e') {
    add(await suite('unit', pick(find(join(dist, 'libs'), '.spec.js').concat(find(join(dist, 'apps'), '.spec.js'), find(join(dist, 'packages'), '.spec.js'), find(join(dist, 'bench'), '.spec.js'))), 2, 60_000));
  }
  if (only !== 'unit') {
    const e2e = pick(find(join(dist, 'apps'), '.e2e.js'));
    if (e2e.length) {
      console.log('\n== services (real Redis and Kafka)');
      // Services that already ran before this test run are left running after it.
      let before = false;
      try {
        execFileSync('bash', ['scripts/services.sh', 'status'], { cwd: root, stdio: 'ignore' });
        before = true;
      } catch {
        before = false;
      }
      sh('bash', ['scripts/services.sh', 'up']);
      servicesUp = !before;
      if ((args.includes('--redis-cluster') || process.env.IMGATE_TEST_REDIS_CLUSTER === '1') && !process.env.REDIS_CLUSTER_NODES) {
        sh('bash', ['scripts/redis-cluster.sh', 'up']);
        process.env.REDIS_CLUSTER_NODES = execFileSync('bash', ['scripts/redis-cluster.sh', 'nodes'], { cwd: root, encoding: 'utf8' }).trim();
      }
      if (process.env.REDIS_CLUSTER_NODES) console.log(`Redis Cluster: ${process.env.REDIS_CLUSTER_NODES}`);
      add(await suite('end-to-end', e2e, 1, 240_000));
    }
  }
} catch (err) {
  console.error(`test run aborted: ${err.message}`);
  totals.fail++;
} finally {
  // A test process that died (or timed out) may leave its role processes behind: stop those it started.
  if (existsSync(pidFile)) {
    for (const pid of readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(pidFile, { force: true });
  }
  if (servicesUp) {
    try {
      sh('bash', ['scripts/services.sh', 'down']);
    } catch {
      console.error('services.sh down failed');
    }
  }
}
for (const s of skippedNames) {
  const reason = allowed.get(s.name);
  console.log(`skipped: ${s.name} (${relative(root, s.file ?? '')}): ${s.why}${reason ? ` [allowed: ${reason}]` : ''}`);
  if (process.env.CI && !reason) {
    console.error(`  not on scripts/skip-allowlist.json: a test that skips in CI proves nothing`);
    totals.fail++;
  }
}
console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped`);
process.exit(totals.fail === 0 && totals.pass > 0 ? 0 : 1);
