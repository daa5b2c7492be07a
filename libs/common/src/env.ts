/** A bad configuration value: the message names the variable and says what is wrong. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`invalid configuration: ${variable} ${reason}`);
  }
}

type Source = Readonly<Record<string, string | undefined>>;

/**
 * Typed reads of environment-style settings. Every app builds its config once at boot through
 * this reader; nothing else looks at process.env.
 */
export class Env {
  constructor(private readonly source: Source) {}

  private raw(name: string): string | undefined {
    const v = this.source[name];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  }

  str(name: string, def: string, pattern?: RegExp): string {
    const v = this.raw(name) ?? def;
    if (pattern && !pattern.test(v)) throw new ConfigError(name, `must match ${pattern} (got "${v}")`);
    return v;
  }

  optional(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, def: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (!/^-?\d+$/.test(v)) throw new ConfigError(name, `must be an integer (got "${v}")`);
    const n = Number(v);
    if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max} (got ${n})`);
    return n;
  }

  port(name: string, def: number): number {
    return this.int(name, def, 0, 65535);
  }

  bool(name: string, def: boolean): boolean {
    const v = this.raw(name);
    if (v === undefined) return def;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    throw new ConfigError(name, `must be true or false (got "${v}")`);
  }

  oneOf<T extends string>(name: string, values: readonly T[], def: T): T {
    const v = this.raw(name) ?? def;
    if (!(values as readonly string[]).includes(v)) {
      throw new ConfigError(name, `must be one of ${values.join(', ')} (got "${v}")`);
    }
    return v as T;
  }

  list(name: string, def: readonly string[]): string[] {
    const v = this.raw(name);
    if (v === undefined) return [...def];
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new ConfigError(name, 'must list at least one value');
    return items;
  }

  /** host:port, e.g. 127.0.0.1:3119 or [::1]:3119. */
  address(name: string, def: string): string {
    const v = this.raw(name) ?? def;
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(v);
    if (!m || Number(m[2]) > 65535) throw new ConfigError(name, `must be host:port (got "${v}")`);
    return v;
  }

  addressList(name: string, def: readonly string[]): string[] {
    const items = this.list(name, def);
    items.forEach((item) => new Env({ [name]: item }).address(name, item));
    return items;
  }

  url(name: string, def: string, protocols: readonly string[]): string {
    const v = this.raw(name) ?? def;
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new ConfigError(name, `must be a URL (got "${v}")`);
    }
    if (!protocols.includes(u.protocol)) throw new ConfigError(name, `must use ${protocols.join(' or ')} (got "${v}")`);
    return v;
  }
}
