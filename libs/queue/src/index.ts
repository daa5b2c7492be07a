export * from './queue';
export * from './memory-queue';
export * from './kafka-queue';
export * from './kafka-producer';
