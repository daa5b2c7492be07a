import type { ServerUnaryCall } from '@grpc/grpc-js';
import { RpcError } from '../grpc/rpc-error';
import type { ClusterTrust } from './cluster-trust';
import { CLUSTER_ROLES, type ClusterRole, PEER_METADATA, type PeerId, verifyPeerToken } from './peer-token';

/** What identifying a caller reads of a gRPC call. */
export type PeerCall = Pick<ServerUnaryCall<unknown, unknown>, 'getAuthContext' | 'metadata'>;

const ROLE_URI = /(?:^|,\s*)URI:imgate:\/\/(comet|logic|job)(?:\/([A-Za-z0-9_.:-]{1,128}))?(?=,|$)/g;

/** The imgate roles a certificate's subjectAltName names (`URI:imgate://comet/<id>`, `URI:imgate://job`, ...). */
export function peersOfCertificate(subjectAltName: string | undefined): PeerId[] {
  return [...(subjectAltName ?? '').matchAll(ROLE_URI)].map((m) => ({ role: m[1] as ClusterRole, id: m[2] ?? '' }));
}

export type PeerRefusal = 'no_certificate_role' | 'no_proof' | 'bad_token' | 'stale_token' | 'wrong_role';

/** Why a call was refused, for the caller (status + message) and for metrics (reason). */
export class PeerRefused extends RpcError {
  constructor(
    readonly reason: PeerRefusal | 'wrong_comet',
    err: RpcError,
  ) {
    super(err.code, err.message);
  }
}

/**
 * Who a gRPC caller is among the cluster's roles, proven by its certificate (mTLS) or by an HMAC
 * of CLUSTER_SECRET; never by a field of the request. `undefined` in `CLUSTER_AUTH=none` mode.
 */
export function identifyPeer(trust: ClusterTrust, call: PeerCall, roles: readonly ClusterRole[], nowSec: number): PeerId | undefined {
  const want = roles.join(' or ');
  if (trust.mode === 'none') return undefined;
  let candidates: PeerId[];
  if (trust.mode === 'tls') {
    candidates = peersOfCertificate(call.getAuthContext().sslPeerCertificate?.subjectaltname);
    if (candidates.length === 0) throw new PeerRefused('no_certificate_role', RpcError.unauthenticated(`this method is for cluster members (${want}): the client certificate names no imgate:// role`));
  } else {
    const token = call.metadata.get(PEER_METADATA)[0];
    if (typeof token !== 'string') throw new PeerRefused('no_proof', RpcError.unauthenticated(`this method is for cluster members (${want}): no ${PEER_METADATA} proof of CLUSTER_SECRET`));
    const peer = verifyPeerToken(trust.secret ?? Buffer.alloc(0), token, nowSec);
    if ('refused' in peer) throw new PeerRefused(peer.refused, RpcError.unauthenticated(`${PEER_METADATA} does not prove CLUSTER_SECRET (${peer.refused})`));
    candidates = [peer];
  }
  const peer = candidates.find((p) => roles.includes(p.role));
  if (!peer) throw new PeerRefused('wrong_role', RpcError.permissionDenied(`this method is for ${want}; the caller is ${candidates.map((p) => p.role).join(', ')}`));
  return peer;
}

/** A comet may act only as itself: the request's `server` must be the comet id it proved (mTLS: its certificate's). */
export function requireSameComet(peer: PeerId | undefined, server: string): void {
  if (peer && peer.role === 'comet' && peer.id && peer.id !== server) {
    throw new PeerRefused('wrong_comet', RpcError.permissionDenied(`server "${server}" is not the caller's comet id "${peer.id}"`));
  }
}

export { CLUSTER_ROLES };
