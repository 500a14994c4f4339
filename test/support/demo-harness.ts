import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ApprovalStatus } from '#shared/approval/approval-binding.ts';
import { hashCanonical } from '#shared/canonical-json/canonical-json.ts';
import type { GuardTables } from '#shared/pipeline/guarded-handler.ts';
import { createEmbeddedTables } from '#shared/tables/table-spec.ts';
import { localToolDeps, type LocalDataTables } from '#functions/commons/local-tool-deps.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { seedDemoData } from '#functions/demo-data/seed-demo-data.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { startEmbeddedAws, type EmbeddedAws } from '../../infra/local/embedded-aws.ts';
import { LOCAL_SENDER } from '../../infra/local/local-system.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from './embedded-dynamodb.ts';
import { createGuardTables, guard, type Guarded } from './guard-harness.ts';

export interface DemoWorld {
  readonly db: EmbeddedDynamoDb;
  readonly guardTables: GuardTables & { approvals: string };
  readonly dataTables: LocalDataTables;
  /** The documents bucket on the embedded S3. */
  readonly documents: EmbeddedAws['documents'];
  /** What send_email sent through the embedded SES. */
  readonly sentMail: EmbeddedAws['sentMail'];
  /** Every demo tool, guarded, on the embedded DynamoDB. */
  readonly tools: Record<string, Guarded>;
  /** Records a decided approval for one exact call, as the approval flow will. */
  approve(call: { runId: string; callId: string; tool: string; args: unknown; requestedBy: string; decidedBy: string; deciderGroups?: string[]; status?: string }): Promise<string>;
  stop(): Promise<void>;
}

/** Seeded demo data and all eight tools behind the real pipeline, on embedded DynamoDB, S3 and SES. `fetch` stands in for the internet. */
export const startDemoWorld = async (options: { fetch?: typeof fetch } = {}): Promise<DemoWorld> => {
  const db = await startEmbeddedDynamoDb();
  const guardTables = await createGuardTables(db.client);
  const names = await createEmbeddedTables(db.client, Object.values(demoTableSpecs), uniquePrefix('d'));
  const dataTables: LocalDataTables = {
    knowledgeBase: names.KnowledgeBase as string,
    orders: names.Orders as string,
    tickets: names.Tickets as string,
    announcements: names.Announcements as string,
  };
  await seedDemoData(db.client, dataTables);
  const aws = await startEmbeddedAws();
  const deps = localToolDeps({ client: db.client, s3: aws.newS3Client(), ses: aws.newSesClient(), tables: dataTables, bucket: aws.documents.bucket, sender: LOCAL_SENDER, ...(options.fetch ? { fetch: options.fetch } : {}) }) as Record<string, unknown>;
  const tools: Record<string, Guarded> = {};
  for (const tool of toolCatalog.tools) tools[tool.name] = guard(tool, deps[tool.name], db.client, guardTables);
  let approvals = 0;
  return {
    db,
    guardTables,
    dataTables,
    documents: aws.documents,
    sentMail: aws.sentMail,
    tools,
    approve: async (call) => {
      const approvalId = `appr-${process.pid}-${++approvals}`;
      await db.client.send(
        new PutItemCommand({
          TableName: guardTables.approvals,
          Item: {
            approvalId: { S: approvalId },
            status: { S: call.status ?? ApprovalStatus.APPROVED },
            runId: { S: call.runId },
            callId: { S: call.callId },
            tool: { S: call.tool },
            argsHash: { S: hashCanonical(call.args) },
            requestedBy: { S: call.requestedBy },
            decidedBy: { S: call.decidedBy },
            deciderGroups: { SS: call.deciderGroups ?? ['approver'] },
          },
        }),
      );
      return approvalId;
    },
    stop: async () => {
      await aws.stop();
      await db.stop();
    },
  };
};
