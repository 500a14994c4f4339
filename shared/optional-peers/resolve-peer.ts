import { createRequire } from 'node:module';
import { OptionalPeerMissingError } from './errors.ts';
import { type AnyPeer, OPTIONAL_PEERS, type PeerFeature, type PeerOf } from './optional-peers.ts';

const load = createRequire(import.meta.url);

/**
 * What a failure to load an optional peer becomes: `OptionalPeerMissingError` when Node says the
 * package is not installed (CommonJS resolution, or ESM's `import()`), else the failure as it is.
 */
export const peerLoadError = (feature: PeerFeature, peer: string, error: unknown): unknown => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND'
    ? new OptionalPeerMissingError(feature, peer, { cause: error })
    : error;
};

/**
 * Where an optional peer's file is (`subpath` inside the package, else its main file), or
 * `OptionalPeerMissingError` when the package is not installed. Any other failure is passed on.
 *
 * @example
 * const uplotDir = dirname(resolvePeer('local', 'uplot'));
 */
export const resolvePeer = <F extends PeerFeature>(
  feature: F,
  peer: PeerOf<F>,
  subpath?: string,
  from: (id: string) => string = load.resolve,
): string => {
  try {
    return from(subpath ? `${peer}/${subpath}` : peer);
  } catch (error) {
    throw peerLoadError(feature, peer, error);
  }
};

/**
 * An optional peer, loaded (CommonJS `require`, or an ES module through Node's `require(esm)`), or
 * `OptionalPeerMissingError` when it is not installed.
 *
 * @example
 * const { StateMachine } = requirePeer<typeof import('aws-local-stepfunctions')>('local', 'aws-local-stepfunctions');
 */
export const requirePeer = <T>(feature: PeerFeature, peer: AnyPeer, subpath?: string): T =>
  load(resolvePeer(feature, peer as PeerOf<typeof feature>, subpath)) as T;

/**
 * Checks that every peer of a feature is installed, before anything loads or bundles them (a static
 * import of a missing one fails with Node's or esbuild's message, which does not say what to install).
 *
 * @example
 * requireFeature('tracing'); // throws OptionalPeerMissingError naming the install command
 */
export const requireFeature = (feature: PeerFeature, from: (id: string) => string = load.resolve): void => {
  // A package whose root is not exported (Cedar's: only its builds are) is installed all the same.
  const installed = (id: string) => {
    try {
      return from(id);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return id;
      throw error;
    }
  };
  for (const peer of Object.keys(OPTIONAL_PEERS[feature].packages))
    resolvePeer(feature, peer as PeerOf<typeof feature>, undefined, installed);
};
