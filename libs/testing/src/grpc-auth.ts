import { Metadata } from '@grpc/grpc-js';
import { type ClusterRole, PEER_METADATA, signPeerToken } from '@imgate/common';
import { randomBytes } from 'node:crypto';
import { TEST_API_KEY } from './jwt';

/** The CLUSTER_SECRET every test cluster is started with (startCluster); made per test process. */
export const TEST_CLUSTER_SECRET = randomBytes(32).toString('hex');

/** gRPC metadata with the API key, for logic's push/read methods (`authorization: Bearer <key>`). */
export function apiMetadata(key = TEST_API_KEY): Metadata {
  const md = new Metadata();
  md.set('authorization', `Bearer ${key}`);
  return md;
}

/** gRPC metadata proving a cluster role with CLUSTER_SECRET, as a real comet/job/logic sends it. */
export function peerMetadata(role: ClusterRole, id = '', secret = TEST_CLUSTER_SECRET): Metadata {
  const md = new Metadata();
  md.set(PEER_METADATA, signPeerToken(Buffer.from(secret), { role, id }, Date.now() / 1000));
  return md;
}
