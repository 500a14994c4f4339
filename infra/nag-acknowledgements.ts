import { Validations } from 'aws-cdk-lib';
import type * as CdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { requirePeer } from '../shared/optional-peers/index.ts';

/**
 * cdk-nag's AwsSolutions and Serverless packs, run at synth: an unacknowledged finding fails it.
 * cdk-nag is an optional peer (a synth-time check; nothing deployed carries it), loaded only here:
 * without it, `OptionalPeerMissingError` names the install command.
 *
 * @example
 * const app = new App();
 * new MyAgentStack(app, 'Agent');
 * attachNagPacks(app); // npm install --save-dev cdk-nag@3.0.2
 * app.synth();
 */
export const attachNagPacks = (app: IConstruct): void => {
  const { AwsSolutionsChecks, ServerlessChecks } = requirePeer<typeof CdkNag>('nag', 'cdk-nag');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
};

/** Acknowledges one finding on a construct. The reason is required: it is the record of why. */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id, reason });
};
