/**
 * @imgate/server-client: what a business service needs from imgate. Push over HTTP or gRPC with
 * an API key, read online counts and delivery reports, and consume clients' upstream messages.
 */
export { ImgateHttpClient, type HttpClientOptions } from './http-client';
export { ImgateGrpcClient, type GrpcClientOptions } from './grpc-client';
export { decodeUpstream, upstreamText, type UpstreamMessage } from './upstream';
export { UpstreamConsumer, type UpstreamConsumerOptions, type UpstreamHandler } from './upstream-consumer';
export { type Body, type DeliveryReport, ImgateApiError, type PushOptions, type PushResult } from './types';
