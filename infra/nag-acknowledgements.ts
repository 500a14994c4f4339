import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** cdk-nag's AwsSolutions and Serverless packs, run at synth: an unacknowledged finding fails it. */
export const attachNagPacks = (app: IConstruct): void => {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
};

/** Acknowledges one finding on a construct. The reason is required: it is the record of why. */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id, reason });
};
