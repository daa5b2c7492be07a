export * from './cluster';
export * from './jwt';
export * from './ports';
export * from './processes';
export * from './proto-client';
