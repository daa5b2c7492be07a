// typescript-eslint's recommended rules, the type-aware rules that catch promises nobody awaits,
// and the role boundaries: an app is reached only through its public entry (src/index.ts).
import tseslint from 'typescript-eslint';

const apps = ['comet', 'logic', 'job', 'embedded', 'cli'];

/** Imports of another app's files: only `@imgate/<app>` (its index.ts) is public. */
const otherApps = (self) =>
  apps
    .filter((a) => a !== self)
    .flatMap((a) => [`**/${a}/src`, `**/${a}/src/**`, `**/apps/${a}/**`, `@imgate/${a}/*`]);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'test-output/**', 'libs/contracts/src/generated/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's describe/it return promises the runner tracks itself.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...apps.map((app) => ({
    files: [`apps/${app}/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: otherApps(app), message: `another app's internals: import its public entry (@imgate/<app>) instead` }] }],
    },
  })),
  {
    files: ['libs/**/*.ts', 'packages/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: apps.flatMap((a) => [`**/apps/${a}/**`, `@imgate/${a}/*`]), message: 'libs, the SDK and bench reach an app only through its public entry (@imgate/<app>)' }] }],
    },
  },
);
