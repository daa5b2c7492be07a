import { type ChannelCredentials, type ClientOptions, InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import type { ClusterTrust } from './cluster-trust';
import { channelCredentials } from './grpc-tls';
import { PEER_METADATA, type PeerId, signPeerToken } from './peer-token';

/** Adds this role's CLUSTER_SECRET proof to every call (re-signed at most once a second). */
export function peerInterceptor(secret: Buffer, self: PeerId, nowSec: () => number = () => Date.now() / 1000): Interceptor {
  let at = -1;
  let token = '';
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        const now = Math.floor(nowSec());
        if (now !== at) {
          token = signPeerToken(secret, self, now);
          at = now;
        }
        metadata.set(PEER_METADATA, token);
        next(metadata, listener);
      },
    });
}

/** Credentials and client options for a role calling another role: its certificate (mTLS) or its CLUSTER_SECRET proof. */
export function clusterClient(trust: ClusterTrust, self: PeerId): { credentials: ChannelCredentials; options: ClientOptions } {
  const { credentials, options } = channelCredentials(trust.tls);
  if (trust.mode === 'secret' && trust.secret) return { credentials, options: { ...options, interceptors: [peerInterceptor(trust.secret, self)] } };
  return { credentials, options };
}
