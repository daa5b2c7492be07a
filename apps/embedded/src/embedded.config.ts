import type { Env } from '@imgate/common';

/** The embedded default's own settings (the roles' are in their config files). */
export interface EmbeddedConfig {
  /** IMGATE_CHAT_SAMPLE: run the sample chat service on the upstream topic (the demo chat needs it). */
  chatSample: boolean;
  /** The key the sample pushes with: the first of LOGIC_API_KEYS, or none when logic runs without keys. */
  apiKey: string;
}

export function loadEmbeddedConfig(env: Env): EmbeddedConfig {
  return {
    chatSample: env.oneOf('IMGATE_CHAT_SAMPLE', ['on', 'off'] as const, 'on') === 'on',
    apiKey: env.list('LOGIC_API_KEYS', [])[0] ?? '',
  };
}
