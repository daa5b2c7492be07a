export * from './cluster-trust';
export * from './grpc-tls';
export * from './peer-client';
export * from './peer-identity';
export * from './peer-token';
