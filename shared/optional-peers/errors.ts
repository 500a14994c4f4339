import { installCommand, OPTIONAL_PEERS, type PeerFeature } from './optional-peers.ts';

/** An optional peer that a feature in use needs is not installed: says which, and the command that installs the feature's peers. */
export class OptionalPeerMissingError extends Error {
  override readonly name = 'OptionalPeerMissingError';
  /** The feature in use that needs it. */
  readonly feature: PeerFeature;
  /** The package that is missing. */
  readonly peer: string;
  constructor(feature: PeerFeature, peer: string, options?: ErrorOptions) {
    const { feature: what, why, alsoNeeds } = OPTIONAL_PEERS[feature];
    super(`${what} needs ${peer}, which is not installed: ${why}. Install them with:\n  ${installCommand(feature, ...alsoNeeds)}`, options);
    this.feature = feature;
    this.peer = peer;
  }
}
