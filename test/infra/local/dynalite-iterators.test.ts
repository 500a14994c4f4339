import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedTables, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';
import { countStoreIterators, readsThatLeaked } from '../../support/store-iterators.ts';
import { fixedDynaliteDb } from '../../../infra/local/patched-dynalite.ts';

// Counts the store iterators dynalite opens and closes (abstract-level, under memory-level).
const require = createRequire(import.meta.url);
let iterators: ReturnType<typeof countStoreIterators>;
beforeAll(() => {
  iterators = countStoreIterators(require('memory-level') as Parameters<typeof countStoreIterators>[0]);
});
afterAll(() => iterators.restore());

let db: EmbeddedDynamoDb;
let table: string;
beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  table = (await createEmbeddedTables(db.client, [orchestrationTableSpecs.runs], uniquePrefix('iter'))).Runs as string;
  for (let i = 0; i < 5; i++)
    await db.client.send(new PutItemCommand({ TableName: table, Item: { runId: { S: 'run-1' }, sk: { S: `msg#${i}` } } }));
});
afterAll(async () => db.stop());

describe('dynalite (fixed as it loads: infra/local/patched-dynalite.ts)', () => {
  it.skipIf(process.env.DYNAMODB_ENDPOINT)(
    'closes the store iterator of every Query and Scan, read to the end or stopped by a Limit',
    async () => {
      const [before, openedBefore] = [iterators.count.open, iterators.count.opened];
      await readsThatLeaked(db.client, table, 20, () => iterators.count.open === before);
      expect(iterators.count.opened - openedBefore).toBe(60);
      expect(iterators.count.open - before).toBe(0);
    },
  );
});

describe('the fix of dynalite as it loads', () => {
  const original = readFileSync(require.resolve('dynalite/db/index.js'), 'utf8');

  it('changes the code it fixes, and leaves a copy already fixed alone', () => {
    const fixed = fixedDynaliteDb(original);
    expect(fixed).not.toContain('iterator.return');
    expect(fixed.split('iterator.close()').length - 1).toBe(2);
    expect(fixed).toContain('source.destroy()');
    expect(fixedDynaliteDb(fixed)).toBe(fixed);
  });

  it('refuses a dynalite whose code it does not know, naming the version to install', () => {
    expect(() => fixedDynaliteDb(original.replace('vals.join(function (items) {', 'vals.join(function (rows) {'))).toThrow(
      /not the 4\.0\.0 this package fixes .*install dynalite 4\.0\.0/,
    );
  });
});
