// comet's public entry: the embedded default, the role's main and tests use only what is here.
export { startComet } from './comet.app';
export { type CometConfig, loadCometConfig } from './comet.config';
export { type CometInfra, memoryCometInfra, redisCometInfra } from './comet.infra';
