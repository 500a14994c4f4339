import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedTables, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';
import { fixedDynaliteDb } from '../../../infra/local/patched-dynalite.ts';

// Counts the store iterators dynalite opens and closes (abstract-level, under memory-level).
const require = createRequire(import.meta.url);
const { MemoryLevel } = require('memory-level') as { MemoryLevel: { prototype: object } };
const abstractLevel = Object.getPrototypeOf(MemoryLevel.prototype) as Record<
  string,
  (...args: unknown[]) => { close: () => Promise<void> }
>;
let open = 0;
const original = abstractLevel.values as (...args: unknown[]) => { close: () => Promise<void> };
beforeAll(() => {
  abstractLevel.values = function (this: unknown, ...args: unknown[]) {
    const iterator = original.apply(this, args);
    open++;
    const close = iterator.close.bind(iterator);
    let closed = false;
    iterator.close = async () => {
      if (!closed) {
        closed = true;
        open--;
      }
      return close();
    };
    return iterator;
  };
});
afterAll(() => {
  abstractLevel.values = original;
});

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
      const before = open;
      for (let i = 0; i < 20; i++) {
        await db.client.send(
          new QueryCommand({ TableName: table, KeyConditionExpression: 'runId = :r', ExpressionAttributeValues: { ':r': { S: 'run-1' } } }),
        );
        await db.client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'runId = :r',
            ExpressionAttributeValues: { ':r': { S: 'run-1' } },
            Limit: 2,
          }),
        );
        await db.client.send(new ScanCommand({ TableName: table, Limit: 1 }));
      }
      // Closing is asynchronous: wait for the state, not for a time.
      for (let i = 0; i < 200 && open > before; i++) await new Promise((r) => setTimeout(r, 5));
      expect(open - before).toBe(0);
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
