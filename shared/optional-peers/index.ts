/**
 * Optional peer dependencies: what the package needs only for local mode, tracing or Cedar
 * policies, and the typed error, naming the install command, when a feature in use misses one.
 */
export { OptionalPeerMissingError } from './errors.ts';
export { ALL_OPTIONAL_PEERS, installCommand, OPTIONAL_PEERS, type AnyPeer, type PeerFeature, type PeerOf } from './optional-peers.ts';
export { peerLoadError, requireFeature, requirePeer, resolvePeer } from './resolve-peer.ts';
