export * from './rng';
export * from './frames';
export * from './wire';
export * from './api';
export * from './target';
export * from './run';
