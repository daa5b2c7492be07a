import { ConfigError, createLogger, Env, onShutdownSignals } from '@imgate/common';
import { kafkaSecurityOptions } from '@imgate/queue';
import { ImgateGrpcClient, UpstreamConsumer } from '@imgate/server-client';
import { ChatSample } from './chat-sample';
import { loadChatSampleConfig } from './embedded.config';

/**
 * The sample chat service as its own process beside a cluster: the upstream topic from Kafka, room
 * pushes through logic's gRPC with an API key. `node dist/apps/embedded/src/chat-sample.main.js`.
 */
async function main(): Promise<void> {
  const config = loadChatSampleConfig(new Env(process.env));
  const logger = createLogger(config.infra.logLevel, 'chat-sample');
  const grpc = new ImgateGrpcClient({ target: config.logicTarget, apiKey: config.apiKey || undefined });
  const chat = new ChatSample(grpc, logger);
  const consumer = new UpstreamConsumer(
    { brokers: config.infra.kafkaBrokers, topic: config.infra.upstreamTopic, groupId: config.groupId, clientId: config.infra.kafkaClientId, ...kafkaSecurityOptions(config.infra.kafkaSecurity) },
    (err, offset) => logger.warn({ offset, err: err.message }, 'chat sample: undecodable upstream record skipped'),
  );
  await consumer.run((m) => chat.handle(m));
  logger.info({ topic: config.infra.upstreamTopic, group: config.groupId, logic: config.logicTarget }, 'chat sample: consuming upstream');
  onShutdownSignals(async () => {
    await consumer.stop();
    grpc.close();
  }, logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('chat sample failed to start:', err);
  process.exit(1);
});
