import { App } from 'aws-cdk-lib';
import { attachNagPacks } from 'guarded-agents/construct';
import { MinimalStack } from './stack.ts';

const app = new App();
new MinimalStack(app, 'MinimalAgent', { env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } });
// Optional: cdk-nag's AwsSolutions and Serverless checks, with what the construct has acknowledged
// (cdk-nag is an optional peer, a dev dependency here).
attachNagPacks(app);
app.synth();
