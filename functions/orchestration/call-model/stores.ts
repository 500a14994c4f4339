import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbApprovalStore } from '../../../shared/approval/index.ts';
import { anchorOf, archiveOf, DynamoDbAuditStore, type S3AuditArchive } from '../../../shared/audit/index.ts';
import { DynamoDbBreakerStore } from '../../../shared/breaker/index.ts';
import { DynamoDbIdempotencyStore } from '../../../shared/idempotency/index.ts';
import { DynamoDbRunStore } from '../../../shared/runs/index.ts';
import { guardTableSpecs, orchestrationTableSpecs } from '../../../shared/tables/index.ts';
import { requireEnv } from '../../../shared/aws/index.ts';
import type { Env } from '../../commons/env/env-var.ts';
import type { CallModelDeps } from './call-model.ts';
import { storedCalls } from './stored-call.ts';
import { pricesOf, spendSettings } from '../../commons/env/deployment-settings.ts';

/** The stores CallModel works on, and the approvals it expires. */
export interface CallModelStores extends Pick<
  CallModelDeps,
  'runs' | 'storedCallsOf' | 'openBreakers' | 'audit' | 'seal' | 'archive' | 'anchor' | 'prices' | 'spend'
> {
  readonly approvals: DynamoDbApprovalStore;
}

/**
 * CallModel's stores from its function's environment (the tables' `envVar`s, and the optional
 * settings: prices and budgets over windows), and the audit archive when the deployment has one:
 * the one place they are built. The Lambda entry calls it with `process.env`, local mode with
 * the environment CDK synthesized for the function, both with a client acting as the function's role.
 */
export const callModelStores = (env: Env, dynamoDb: DynamoDBClient, archive?: S3AuditArchive): CallModelStores => {
  const tableName = (spec: { readonly envVar: string }) => requireEnv(spec.envVar, env);
  const audit = new DynamoDbAuditStore({ client: dynamoDb, tableName: tableName(guardTableSpecs.audit) });
  const breakers = new DynamoDbBreakerStore({ client: dynamoDb, tableName: tableName(guardTableSpecs.guard) });
  const { spend } = spendSettings(env, dynamoDb, tableName(guardTableSpecs.guard));
  return {
    ...pricesOf(env),
    ...(spend ? { spend: spend.guard } : {}),
    runs: new DynamoDbRunStore({ client: dynamoDb, tableName: tableName(orchestrationTableSpecs.runs) }),
    storedCallsOf: storedCalls(new DynamoDbIdempotencyStore({ client: dynamoDb, tableName: tableName(guardTableSpecs.idempotency) })),
    openBreakers: (tools) => breakers.openAmong(tools),
    audit,
    seal: (runId) => audit.sealChain(runId),
    // The last step's seal hands over the chain it left, so the archive does not read it again.
    ...(archive
      ? {
          archive: async (runId, at, sealed) => archive.put(archiveOf(runId, sealed ?? (await audit.readChain(runId)), new Date(at))),
          // The last seal's anchor (written once: a repeated step finds it there), and the end's once the run ends.
          anchor: async (runId, at, sealed, ended) => {
            const seal = anchorOf(runId, sealed, new Date(at), false);
            if (!seal) return;
            await archive.putAnchor(seal);
            if (ended) await archive.putAnchor({ ...seal, ended: true });
          },
        }
      : {}),
    approvals: new DynamoDbApprovalStore({ client: dynamoDb, tableName: tableName(guardTableSpecs.approvals) }),
  };
};
