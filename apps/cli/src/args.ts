/** Minimal `--name value` / `--flag` parsing with errors that name the option. */
export class UsageError extends Error {}

export function parseArgs(argv: string[], flags: readonly string[]): { options: Map<string, string>; positional: string[] } {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const name = a.slice(2);
    if (flags.includes(name)) {
      options.set(name, 'true');
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    options.set(name, value);
    i++;
  }
  return { options, positional };
}

export function intList(value: string | undefined, name: string): number[] {
  if (value === undefined) return [];
  return value.split(',').map((s) => {
    if (!/^\d+$/.test(s.trim())) throw new UsageError(`--${name} takes comma-separated integers (got "${s}")`);
    return Number(s.trim());
  });
}
