/*
 * @imgate/kcp: a pure KCP engine (wire- and timing-compatible with ikcp.c
 * 1.7.1) plus imgate's extension commands. No sockets, timers or Node
 * built-ins: the caller passes datagrams in, time in, and gets datagrams out.
 */
export { Kcp } from './kcp';
export type { KcpOptions, KcpStats } from './kcp';
export { WND_RCV } from './receive-window';
export {
  CMD_ACK, CMD_PUSH, CMD_WASK, CMD_WINS, OVERHEAD, decodeSegments, encodeSegment, isKcpCommand, readConv,
} from './segment';
export type { Segment, SegmentHeader } from './segment';
export {
  CMD_FIN, CMD_KICK, CMD_NEW, CMD_RECONNECT, KICK_REASON_MAX, NEW_BODY_OFFSET, NEW_BODY_SIZE,
  decodeControl, decodeNew, encodeFin, encodeKick, encodeNew, encodeReconnect, isExtensionCommand, stampNew,
} from './ext';
export type { ControlMessage, NewAddress, NewMessage } from './ext';
export { formatIp, type Ipv4MappedText, isIpv4Mapped, parseIp } from './ip';
export {
  COUNTER_MAX, MIGRATE_ACK, MIGRATE_MAC_SIZE, MIGRATE_PROOF, MIGRATE_PROOF_SIZE, MIGRATE_PROVE,
  decodeMigration, encodeMigrateAck, encodeMigrateProof, encodeProveRequest, macEqual, migrationMac, migrationMacInput, verifyMigration,
} from './migrate';
export type { HmacSha256, MigrationMessage, MigrationProof, ProveRequest } from './migrate';
