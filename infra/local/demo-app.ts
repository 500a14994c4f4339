import { demoTableSpecs } from '../../functions/demo-data/demo-tables.ts';
import { seedDemoData, seedDemoDocuments } from '../../functions/demo-data/seed-demo-data.ts';
import type { AnyTool } from '../../shared/tool/index.ts';
import { GuardedAgentsStack, type GuardedAgentsStackProps } from '../guarded-agents-stack.ts';
import type { Asl } from '../state-machine-definition.ts';
import { synthesizeLocalApp, type LocalApp } from './local-app.ts';
import { startLocalSystem, type LocalSystemOptions } from './local-system.ts';

/** The sender identity of the local demo stack: locally send_email is allowed to send as it, as deployed. */
export const LOCAL_SENDER = 'agent@example.com';

/**
 * This repository's own app, locally: the demo stack (the nine demo tools and their stores) with
 * its knowledge base, orders and documents seeded. A test can hand in declarations with a grant
 * taken away: the local system synthesizes its policies from these, and denies what AWS would.
 */
export const demoApp = (
  tools?: readonly AnyTool[],
  stack: Pick<GuardedAgentsStackProps, 'spendBudgets' | 'approvalEscalation' | 'mcpLabelLifetime' | 'policies'> = {},
): LocalApp => ({
  agent: (app) =>
    new GuardedAgentsStack(app, 'Local', {
      senderEmail: LOCAL_SENDER,
      // Locally every finished run's chain is archived, to the embedded S3 (which keeps it but does not enforce Object Lock).
      auditArchiveDays: 1,
      ...(tools ? { tools } : {}),
      ...stack,
    }).agent,
  seed: async ({ dynamoDb, tableNames, documents }) => {
    await seedDemoData(dynamoDb, {
      knowledgeBase: tableNames[demoTableSpecs.knowledgeBase.id] as string,
      orders: tableNames[demoTableSpecs.orders.id] as string,
    });
    if (documents?.isNew) await seedDemoDocuments(documents.s3, documents.bucket);
  },
});

/** The demo app's local system; `dataTables` names its tables by the demo's own keys. */
export const startDemoSystem = async (
  options: Omit<LocalSystemOptions, 'app'> & {
    readonly tools?: readonly AnyTool[];
    /** Settings of the demo stack a test deploys differently (budgets over windows). */
    readonly stack?: Pick<GuardedAgentsStackProps, 'spendBudgets' | 'approvalEscalation' | 'mcpLabelLifetime' | 'policies'>;
  } = {},
) => {
  const { tools, stack, ...rest } = options;
  const system = await startLocalSystem({ ...rest, app: demoApp(tools, stack) });
  const table = (spec: { id: string }) => system.tableNames[spec.id] as string;
  return {
    ...system,
    dataTables: {
      knowledgeBase: table(demoTableSpecs.knowledgeBase),
      orders: table(demoTableSpecs.orders),
      tickets: table(demoTableSpecs.tickets),
      announcements: table(demoTableSpecs.announcements),
    },
  };
};

export type DemoSystem = Awaited<ReturnType<typeof startDemoSystem>>;

/** The demo stack as CDK synthesizes it (the IAM oracle reads its policies). */
export const synthesizeDemoStack = () => synthesizeLocalApp(demoApp());

/** The definition CDK synthesizes for the demo stack. */
export const synthesizedDefinition = (): Asl => synthesizeDemoStack().definition;
