import {
  CreateTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { APPROVALS_UNDELIVERED_INDEX } from './approval-indexes.ts';
import { AUDIT_BY_CALLER_TOOL_INDEX, AUDIT_BY_DAY_INDEX } from './audit-indexes.ts';
import { RUN_INDEXES } from './run-indexes.ts';
import type { IndexSpec } from './index-spec.ts';

export type { IndexSpec } from './index-spec.ts';

/**
 * One description per table, read by the CDK app (deployed tables) and by the embedded setup
 * (dynalite in tests and local mode), so the two cannot drift apart.
 */
export interface TableSpec {
  /** Logical name; deployed names are generated, local names are `${prefix}${id}`. */
  readonly id: string;
  /** Environment variable that carries the table name to a Lambda. */
  readonly envVar: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly ttlAttribute?: string;
  /** Point-in-time recovery when deployed (the audit trail and approvals must survive mistakes). */
  readonly pointInTimeRecovery?: boolean;
  readonly indexes?: readonly IndexSpec[];
}

/**
 * The guard pipeline's tables (buckets and breakers, idempotency, audit, approvals) as
 * `TableSpec`s, for the construct and the embedded engines alike.
 */
export const guardTableSpecs = {
  guard: { id: 'GuardState', envVar: 'GUARD_TABLE', partitionKey: 'pk', ttlAttribute: 'expiresAt' },
  idempotency: { id: 'Idempotency', envVar: 'IDEMPOTENCY_TABLE', partitionKey: 'id', ttlAttribute: 'expiresAt' },
  audit: {
    id: 'Audit',
    envVar: 'AUDIT_TABLE',
    partitionKey: 'runId',
    sortKey: 'sk',
    pointInTimeRecovery: true,
    indexes: [AUDIT_BY_DAY_INDEX, AUDIT_BY_CALLER_TOOL_INDEX],
  },
  approvals: {
    id: 'Approvals',
    envVar: 'APPROVALS_TABLE',
    partitionKey: 'approvalId',
    ttlAttribute: 'expiresAt',
    pointInTimeRecovery: true,
    indexes: [APPROVALS_UNDELIVERED_INDEX],
  },
} as const satisfies Record<string, TableSpec>;

/** The agent loop's own state: run records, conversations and call records, one partition per run. */
export const orchestrationTableSpecs = {
  runs: { id: 'Runs', envVar: 'RUNS_TABLE', partitionKey: 'runId', sortKey: 'sk', pointInTimeRecovery: true, indexes: RUN_INDEXES },
} as const satisfies Record<string, TableSpec>;

/**
 * Creates tables on an embedded DynamoDB (dynalite or DynamoDB Local). Never used against AWS: CDK owns those.
 *
 * @example
 * const names = await createEmbeddedTables(client, Object.values(guardTableSpecs), 'test-');
 * const guardTable = names[guardTableSpecs.guard.id];
 */
export const createEmbeddedTables = async (
  client: DynamoDBClient,
  specs: readonly TableSpec[],
  prefix: string,
): Promise<Record<string, string>> => {
  const names: Record<string, string> = {};
  for (const spec of specs) {
    const name = `${prefix}${spec.id}`;
    names[spec.id] = name;
    // Tables kept in a data folder survive a restart: an existing table is reused.
    const keys = (k: { partitionKey: string; sortKey?: string }) => [
      { AttributeName: k.partitionKey, KeyType: 'HASH' as const },
      ...(k.sortKey ? [{ AttributeName: k.sortKey, KeyType: 'RANGE' as const }] : []),
    ];
    const indexes = (spec.indexes ?? []).map((index) => ({
      IndexName: index.name,
      KeySchema: keys(index),
      Projection:
        index.include.length > 0
          ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.include] }
          : { ProjectionType: 'KEYS_ONLY' as const },
    }));
    const attributes = [...new Set([spec, ...(spec.indexes ?? [])].flatMap((k) => [k.partitionKey, ...(k.sortKey ? [k.sortKey] : [])]))];
    const created = await client
      .send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keys(spec),
          AttributeDefinitions: attributes.map((attribute) => ({ AttributeName: attribute, AttributeType: 'S' as const })),
          ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
        }),
      )
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof Error && error.name === 'ResourceInUseException') return false;
          throw error;
        },
      );
    // A table kept in a data folder by an older version may lack an index added since.
    if (!created && indexes.length > 0) {
      const existing = (await client.send(new DescribeTableCommand({ TableName: name }))).Table?.GlobalSecondaryIndexes ?? [];
      for (const index of indexes.filter((i) => !existing.some((e) => e.IndexName === i.IndexName)))
        await client.send(
          new UpdateTableCommand({
            TableName: name,
            AttributeDefinitions: attributes.map((attribute) => ({ AttributeName: attribute, AttributeType: 'S' as const })),
            GlobalSecondaryIndexUpdates: [{ Create: index }],
          }),
        );
    }
    if (created && spec.ttlAttribute) {
      await client
        .send(
          new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }),
        )
        .catch(() => undefined); // dynalite has no TTL; expiry is an optimisation, never relied on for correctness.
    }
  }
  return names;
};
