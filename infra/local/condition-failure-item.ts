import { createRequire } from 'node:module';

type Item = Record<string, unknown>;
interface DynaliteDb {
  checkConditional(data: Record<string, unknown>, existingItem: Item | undefined): (Error & { body?: Record<string, unknown> }) | undefined;
  conditionItemPatched?: true;
}

/**
 * What dynalite lacks and DynamoDB has: a conditional write that fails with
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'` carries the item it failed on, in the same
 * response, under the write's own action (no read, so no `dynamodb:GetItem` grant). Given here as
 * DynamoDB gives it, inside the engine: every client (the local system's functions, the tests,
 * a bundle in a process of its own) sees the error AWS sends, so the stores run the path they run
 * on AWS, and the local IAM sees exactly the requests AWS would. Installed once per process,
 * before dynalite serves (dynalite's actions look the check up on its module at each call).
 */
export const giveItemOnConditionFailure = (): void => {
  const load = createRequire(import.meta.url);
  const db = load('dynalite/db/index.js') as DynaliteDb;
  if (db.conditionItemPatched) return;
  // dynalite drops parameters it does not know before an action sees them: it is told of this one.
  for (const action of ['putItem', 'updateItem', 'deleteItem'])
    (load(`dynalite/validations/${action}.js`) as { types: Record<string, unknown> }).types.ReturnValuesOnConditionCheckFailure = {
      type: 'String',
      enum: ['ALL_OLD', 'NONE'],
    };
  const check = db.checkConditional.bind(db);
  db.checkConditional = (data, existingItem) => {
    const failed = check(data, existingItem);
    if (failed?.body && existingItem && data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') failed.body.Item = existingItem;
    return failed;
  };
  db.conditionItemPatched = true;
};
