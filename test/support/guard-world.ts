import { afterAll, beforeAll } from 'vitest';
import type { GuardTables } from '#shared/pipeline/index.ts';
import { startEmbeddedDynamoDb, type EmbeddedDynamoDb } from './embedded-dynamodb.ts';
import { createGuardTables } from './guard-harness.ts';

export interface GuardWorld {
  db: EmbeddedDynamoDb;
  tables: GuardTables & { approvals: string };
}

/** Starts the embedded DynamoDB with fresh guard tables for a test file, and stops it after. */
export const useGuardWorld = (): GuardWorld => {
  const world = {} as GuardWorld;
  beforeAll(async () => {
    world.db = await startEmbeddedDynamoDb();
    world.tables = await createGuardTables(world.db.client);
  });
  afterAll(async () => world.db.stop());
  return world;
};
