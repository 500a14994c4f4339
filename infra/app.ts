/**
 * The CDK app. `npm run synth` writes cdk.out offline (no AWS credentials needed) with cdk-nag's
 * AwsSolutions and Serverless packs run as policy validation: any unacknowledged finding fails it.
 */
import { App } from 'aws-cdk-lib';
import { GuardedAgentsStack } from './guarded-agents-stack.ts';
import { attachNagPacks } from './nag-acknowledgements.ts';

const app = new App();
new GuardedAgentsStack(app, 'GuardedAgents', {
  senderEmail: app.node.tryGetContext('senderEmail') as string | undefined,
  slackChannel: app.node.tryGetContext('slackChannel') as string | undefined,
  slackApprovers: JSON.parse((app.node.tryGetContext('slackApprovers') as string | undefined) ?? '{}') as Record<string, { userId: string; groups: string[] }>,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
attachNagPacks(app);
app.synth();
