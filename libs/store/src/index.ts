export * from './redis';
export * from './redis-watch';
export * from './comet-registry';
export * from './memory-comet-registry';
export * from './redis-comet-registry';
export * from './online.repository';
export * from './memory-online.repository';
export * from './redis-online.repository';
