import { afterAll, beforeAll } from 'vitest';
import { DynamoDbApprovalStore, DynamoDbDecisionOutbox } from '#shared/approval/index.ts';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { DynamoDbBreakerStore } from '#shared/breaker/index.ts';
import { DynamoDbBucketStore } from '#shared/rate-limit/index.ts';
import { DynamoDbRunStore } from '#shared/runs/index.ts';
import { createEmbeddedTables, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import type { ApiRequest, Identity } from '#functions/api/api-types.ts';
import { handleApiRequest } from '#functions/api/router.ts';
import type { ApiDeps } from '#functions/api/routes.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';
import { createGuardTables } from '../../support/guard-harness.ts';

// The API's router and routes on a real DynamoDB (embedded), with Step Functions and Slack stood in.

export const SLACK_SECRET = 'local-slack-signing-secret';
export const users: Record<string, Identity> = {
  uma: { userId: 'uma', groups: ['user'] },
  ursula: { userId: 'ursula', groups: ['user'] },
  olga: { userId: 'olga', groups: ['operator'] },
  adam: { userId: 'adam', groups: ['admin'] },
  pat: { userId: 'pat', groups: ['approver'] },
};

/** What a test file's API runs on, set before its tests: the executions started and the task tokens answered are recorded. */
export interface ApiHarness {
  db: EmbeddedDynamoDb;
  approvalsTable: string;
  /** What the router is given; a test may swap it for a call or two (and put it back). */
  deps: ApiDeps;
  readonly started: string[];
  readonly resumed: Array<{ token: string; output: unknown }>;
  /** Step Functions unreachable: SendTaskSuccess fails past the SDK's retries. */
  stepFunctionsDown: boolean;
  /** One request to the router, as the named user (none: no token). */
  call: (
    method: string,
    path: string,
    options?: { as?: string; body?: unknown; raw?: string; query?: Record<string, string>; headers?: Record<string, string> },
  ) => ReturnType<typeof handleApiRequest>;
}

/** A fresh API on its own embedded DynamoDB for the test file: started before its tests, stopped after. */
export const useApiHarness = (): ApiHarness => {
  let runCounter = 0;
  const api = {
    started: [],
    resumed: [],
    stepFunctionsDown: false,
    call: (method, path, options = {}) => {
      const request: ApiRequest = {
        method,
        path,
        query: options.query ?? {},
        headers: options.headers ?? {},
        body: options.raw ?? (options.body === undefined ? '' : JSON.stringify(options.body)),
        identity: options.as ? users[options.as] : undefined,
      };
      return handleApiRequest(request, api.deps);
    },
  } as Omit<ApiHarness, 'db' | 'approvalsTable' | 'deps'> as ApiHarness;
  beforeAll(async () => {
    const db = await startEmbeddedDynamoDb();
    api.db = db;
    const guardTables = await createGuardTables(db.client);
    api.approvalsTable = guardTables.approvals;
    const runsTable = (await createEmbeddedTables(db.client, [orchestrationTableSpecs.runs], uniquePrefix('api')))[
      orchestrationTableSpecs.runs.id
    ] as string;
    api.deps = {
      runs: new DynamoDbRunStore({ client: db.client, tableName: runsTable }),
      audit: new DynamoDbAuditStore({ client: db.client, tableName: guardTables.audit }),
      approvals: new DynamoDbApprovalStore({ client: db.client, tableName: guardTables.approvals }),
      decisions: new DynamoDbDecisionOutbox({ client: db.client, tableName: guardTables.approvals }),
      runBuckets: new DynamoDbBucketStore({ client: db.client, tableName: guardTables.guard }),
      registry: toolCatalog,
      startExecution: async (runId) => void api.started.push(runId),
      // As Step Functions answers: a token whose task has ended (answered once already) is refused.
      sendTaskSuccess: async (token, output) => {
        if (api.stepFunctionsDown) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
        if (api.resumed.some((r) => r.token === token))
          throw Object.assign(new Error('Task Timed Out: Provided task does not exist anymore'), { name: 'TaskTimedOut' });
        api.resumed.push({ token, output });
      },
      openBreakers: (tools) => new DynamoDbBreakerStore({ client: db.client, tableName: guardTables.guard }).openAmong(tools),
      allowScriptedModel: true,
      runLimit: { capacity: 3, refillPerMinute: 0.001 },
      // Slack users resolve to the same identities as the API's (Cognito subs deployed).
      slack: {
        signingSecret: SLACK_SECRET,
        resolveDecider: async (slackUser) =>
          (
            ({
              U_PAT: users.pat,
              U_ADAM: users.adam,
              U_OLGA: users.olga,
              U_ADAM_APPROVER: { userId: 'adam', groups: ['admin', 'approver'] },
            }) as Record<string, Identity | undefined>
          )[slackUser],
      },
      newRunId: () => `run-api-${process.pid}-${++runCounter}`,
    };
  });
  afterAll(async () => api.db.stop());
  return api;
};
