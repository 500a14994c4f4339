import { createRequire } from 'node:module';

/**
 * What the local system embeds (and the console draws with): optional peer dependencies of
 * `guarded-agents/local` and `guarded-agents/eval`, so a team that deploys only (the construct and
 * the Lambda handlers) installs none of them. The versions the package is tested with; a test keeps
 * them equal to this repository's.
 */
export const LOCAL_PEERS = {
  dynalite: '4.0.0',
  s3rver: '3.7.1',
  'aws-ses-v2-local': '2.10.2',
  'aws-local-stepfunctions': '3.0.0',
  uplot: '1.6.32',
} as const;

export type LocalPeer = keyof typeof LOCAL_PEERS;

/** The one command that installs every local peer, as the error of a missing one gives it. */
export const LOCAL_PEERS_INSTALL = `npm install --save-dev ${Object.entries(LOCAL_PEERS)
  .map(([name, version]) => `${name}@${version}`)
  .join(' ')}`;

/** A local peer that is not installed: says which, and the command that installs them all. */
export class LocalPeerMissingError extends Error {
  override readonly name = 'LocalPeerMissingError';
  constructor(peer: LocalPeer, options?: ErrorOptions) {
    super(
      `guarded-agents/local needs ${peer}, which is not installed: local mode's embedded services are optional peer dependencies (a deployment needs none of them). Install them with:\n  ${LOCAL_PEERS_INSTALL}`,
      options,
    );
  }
}

const load = createRequire(import.meta.url);

const missing = (error: unknown): boolean => (error as NodeJS.ErrnoException | undefined)?.code === 'MODULE_NOT_FOUND';

/**
 * Where a local peer's file is (`subpath` inside the package, else its main file), or
 * `LocalPeerMissingError` when the package is not installed.
 *
 * @example
 * const uplotDir = dirname(resolveLocalPeer('uplot'));
 */
export const resolveLocalPeer = (peer: LocalPeer, subpath?: string, from: (id: string) => string = load.resolve): string => {
  try {
    return from(subpath ? `${peer}/${subpath}` : peer);
  } catch (error) {
    if (missing(error)) throw new LocalPeerMissingError(peer, { cause: error });
    throw error;
  }
};

/**
 * A local peer, loaded (CommonJS `require`, or an ES module through Node's `require(esm)`), or
 * `LocalPeerMissingError` when it is not installed.
 *
 * @example
 * const { StateMachine } = requireLocalPeer<typeof import('aws-local-stepfunctions')>('aws-local-stepfunctions');
 */
export const requireLocalPeer = <T>(peer: LocalPeer): T => {
  resolveLocalPeer(peer);
  return load(peer) as T;
};
