import { type Env, type InfraConfig, loadInfraConfig } from '@imgate/common';

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

/** The sample chat service run on its own against a cluster (chat-sample.main.ts). */
export interface ChatSampleConfig {
  infra: InfraConfig;
  /** Logic's gRPC target the sample pushes through. */
  logicTarget: string;
  /** IMGATE_API_KEY: one of logic's LOGIC_API_KEYS. */
  apiKey: string;
  /** Its Kafka consumer group on the upstream topic. */
  groupId: string;
}

export function loadChatSampleConfig(env: Env): ChatSampleConfig {
  return {
    infra: loadInfraConfig(env),
    logicTarget: env.str('CHAT_SAMPLE_LOGIC_ADDR', '127.0.0.1:3119', /^([a-z]+:\/\/\/?)?[A-Za-z0-9.[\]:-]+:\d{1,5}$/),
    apiKey: env.optional('IMGATE_API_KEY') ?? '',
    groupId: env.str('CHAT_SAMPLE_GROUP_ID', 'imgate-chat-sample', /^[A-Za-z0-9._-]{1,128}$/),
  };
}
