import { CreateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

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
}

export const guardTableSpecs = {
  guard: { id: 'GuardState', envVar: 'GUARD_TABLE', partitionKey: 'pk', ttlAttribute: 'expiresAt' },
  idempotency: { id: 'Idempotency', envVar: 'IDEMPOTENCY_TABLE', partitionKey: 'id', ttlAttribute: 'expiresAt' },
  audit: { id: 'Audit', envVar: 'AUDIT_TABLE', partitionKey: 'runId', sortKey: 'sk', pointInTimeRecovery: true },
  approvals: {
    id: 'Approvals',
    envVar: 'APPROVALS_TABLE',
    partitionKey: 'approvalId',
    ttlAttribute: 'expiresAt',
    pointInTimeRecovery: true,
  },
} as const satisfies Record<string, TableSpec>;

/** The agent loop's own state: run records, conversations and call records, one partition per run. */
export const orchestrationTableSpecs = {
  runs: { id: 'Runs', envVar: 'RUNS_TABLE', partitionKey: 'runId', sortKey: 'sk', pointInTimeRecovery: true },
} as const satisfies Record<string, TableSpec>;

/** Creates tables on an embedded DynamoDB (dynalite or DynamoDB Local). Never used against AWS: CDK owns those. */
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
    const created = await client
      .send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            ...(spec.sortKey ? [{ AttributeName: spec.sortKey, KeyType: 'RANGE' as const }] : []),
          ],
          AttributeDefinitions: [
            { AttributeName: spec.partitionKey, AttributeType: 'S' },
            ...(spec.sortKey ? [{ AttributeName: spec.sortKey, AttributeType: 'S' as const }] : []),
          ],
        }),
      )
      .then(
        () => true,
        (error: unknown) => {
          if (error instanceof Error && error.name === 'ResourceInUseException') return false;
          throw error;
        },
      );
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
