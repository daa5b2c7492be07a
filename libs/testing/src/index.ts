export * from './browser';
export * from './cluster';
export * from './embedded';
export * from './jwt';
export * from './ports';
export * from './processes';
export * from './proto-client';
export * from './metrics';
