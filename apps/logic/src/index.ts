// logic's public entry: the embedded default, the role's main and tests use only what is here.
export { startLogic } from './logic.app';
export { type LogicConfig, loadLogicConfig } from './logic.config';
export { type LogicInfra, memoryInfra as memoryLogicInfra, redisKafkaInfra as redisKafkaLogicInfra, streamSettings } from './logic.infra';
