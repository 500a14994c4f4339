import type { App } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createTemplateApp } from '../cdk-app.ts';
import type { GuardedAgent } from '../guarded-agent/guarded-agent.ts';
import type { Template as IamTemplate } from './iam/function-policies.ts';
import { definitionFromTemplate } from '../state-machine-definition.ts';

/** What a seed gets: the platform's own clients and where the app's data lives locally. */
export interface LocalSeedContext {
  /** The platform's DynamoDB client (not a function's: seeding is not checked against a role). */
  readonly dynamoDb: DynamoDBClient;
  /** Each table's local name, by table id (the `id` of its TableSpec). */
  readonly tableNames: Readonly<Record<string, string>>;
  /** The documents bucket, when the agent has one: `isNew` is false on a restart over the same DATA_DIR (what was deleted stays deleted). */
  readonly documents?: { readonly s3: S3Client; readonly bucket: string; readonly isNew: boolean };
}

/**
 * An app the local system runs: the stack that holds its GuardedAgent, built the way `cdk synth`
 * builds it (the local system synthesizes it and runs its state machine, policies and environment),
 * and how to fill its data on a machine with no AWS account.
 */
export interface LocalApp {
  /** Builds the app's stack in `app` and returns its GuardedAgent (for instance `new MyStack(app, 'Local').agent`). */
  readonly agent: (app: App) => GuardedAgent;
  /** Fills the app's tables and documents after they are made, on every start. @default nothing */
  readonly seed?: (context: LocalSeedContext) => Promise<void>;
}

/** The app's stack as CDK synthesizes it (asset bundling skipped: it changes neither the state machine nor the policies). */
export const synthesizeLocalApp = (localApp: LocalApp) => {
  const agent = localApp.agent(createTemplateApp());
  const stack = Stack.of(agent);
  const template = Template.fromStack(stack).toJSON() as IamTemplate;
  return { agent, stack, template, definition: definitionFromTemplate(template.Resources as Parameters<typeof definitionFromTemplate>[0]) };
};

export type SynthesizedLocalApp = ReturnType<typeof synthesizeLocalApp>;
