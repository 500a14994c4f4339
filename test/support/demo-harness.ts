import type { GuardTables } from '#shared/pipeline/index.ts';
import { createEmbeddedTables } from '#shared/tables/index.ts';
import { ResourceEnv } from '#functions/commons/tool-deps.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { seedDemoData, seedDemoDocuments } from '#functions/demo-data/seed-demo-data.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/cdk-app.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../../infra/local/embedded-aws.ts';
import { envOf, toolDepsFrom } from '../../infra/local/tool-deps-loader.ts';
import { LOCAL_SENDER } from '../../infra/local/demo-app.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from './embedded-dynamodb.ts';
import { createGuardTables, guard, putDecidedApproval, type DecidedCall, type Guarded } from './guard-harness.ts';

/** The demo tools' tables, by their local names. */
export interface DemoDataTables {
  readonly knowledgeBase: string;
  readonly orders: string;
  readonly tickets: string;
  readonly announcements: string;
}

export interface DemoWorld {
  readonly db: EmbeddedDynamoDb;
  readonly guardTables: GuardTables & { approvals: string };
  readonly dataTables: DemoDataTables;
  /** The documents bucket on the embedded S3. */
  readonly documents: EmbeddedAws['documents'];
  /** What send_email sent through the embedded SES. */
  readonly sentMail: EmbeddedAws['sentMail'];
  /** Every demo tool, guarded, on the embedded DynamoDB. */
  readonly tools: Record<string, Guarded>;
  /** Records a decided approval for one exact call, as the approval flow will. */
  approve(call: DecidedCall): Promise<string>;
  stop(): Promise<void>;
}

/** Seeded demo data and all nine tools behind the real pipeline, on embedded DynamoDB, S3 and SES. `fetch` stands in for the internet. */
export const startDemoWorld = async (options: { fetch?: typeof fetch } = {}): Promise<DemoWorld> => {
  const db = await startEmbeddedDynamoDb();
  const guardTables = await createGuardTables(db.client);
  const names = await createEmbeddedTables(db.client, Object.values(demoTableSpecs), uniquePrefix('d'));
  const dataTables: DemoDataTables = {
    knowledgeBase: names.KnowledgeBase as string,
    orders: names.Orders as string,
    tickets: names.Tickets as string,
    announcements: names.Announcements as string,
  };
  await seedDemoData(db.client, dataTables);
  const aws = await startEmbeddedAws();
  await seedDemoDocuments(aws.s3, aws.documents.bucket);
  // The environment the construct gives the tools, with these names; each tool's deps.ts builds from it.
  const variables = {
    ...Object.fromEntries(Object.values(demoTableSpecs).map((spec) => [spec.envVar, names[spec.id] as string])),
    [ResourceEnv.DOCUMENTS_BUCKET]: aws.documents.bucket,
    [ResourceEnv.SENDER_EMAIL]: LOCAL_SENDER,
  };
  const clients = {
    dynamoDb: db.client,
    s3: aws.newS3Client(),
    ses: aws.newSesClient(),
    secrets: aws.newSecretsClient(),
    fetch: options.fetch ?? globalThis.fetch,
  };
  const tools: Record<string, Guarded> = {};
  for (const tool of toolCatalog.tools) {
    const deps = await toolDepsFrom(
      join(REPO_ROOT, 'functions', 'tools', tool.name.replaceAll('_', '-')),
      tool,
      envOf(variables, tool.name),
      clients,
    );
    tools[tool.name] = guard(tool, deps, db.client, guardTables);
  }
  return {
    db,
    guardTables,
    dataTables,
    documents: aws.documents,
    sentMail: aws.sentMail,
    tools,
    approve: (call) => putDecidedApproval(db.client, guardTables.approvals, call),
    stop: async () => {
      await aws.stop();
      await db.stop();
    },
  };
};
