/**
 * The DynamoDB actions the stores call, as IAM names them after `dynamodb:`. A transaction asks for
 * the action of each of its items (there is no TransactWriteItems action); a conditional write that
 * fails returns the item it failed on (`ReturnValuesOnConditionCheckFailure`), with no read.
 */
export type DynamoDbAction =
  'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem' | 'ConditionCheckItem';

/**
 * The actions each kind of table access covers: a tool's `table` resource is granted these, or the
 * exact subset it names. Only data-plane actions a handler can call: none of CDK's DescribeTable or
 * stream reads.
 */
export const ACCESS_ACTIONS = {
  read: ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'ConditionCheckItem'],
  write: ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
  readWrite: ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'ConditionCheckItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'],
} as const satisfies Record<string, readonly DynamoDbAction[]>;

/**
 * What some calls of a store ask of the table it is given: `actions` on the table itself, and
 * `Query` on each of `queries` (index names). The deployed roles are granted exactly these, joined
 * over the store calls a function makes (`infra/guarded-agent/table-grants.ts`).
 *
 * @example
 * static readonly access = { take: { actions: ['UpdateItem'] } } as const satisfies StoreAccess;
 */
export interface TableAccess {
  readonly actions: readonly DynamoDbAction[];
  readonly queries?: readonly string[];
}

/** A store's access, method by method: the grants follow from the methods a function calls. */
export type StoreAccess = Readonly<Record<string, TableAccess>>;

/** The tables a function reaches, by their key in `guardTableSpecs` or `orchestrationTableSpecs`. */
export type TableKey = 'guard' | 'idempotency' | 'audit' | 'approvals' | 'runs';

/** Everything a function asks of the agent's tables: the store calls it makes, table by table. */
export type FunctionAccess = Readonly<Partial<Record<TableKey, readonly TableAccess[]>>>;

/** One access out of several: each action and each index once, sorted (a stable policy document). */
export const joinAccess = (accesses: readonly TableAccess[]): Required<TableAccess> => ({
  actions: [...new Set(accesses.flatMap((access) => access.actions))].sort(),
  queries: [...new Set(accesses.flatMap((access) => access.queries ?? []))].sort(),
});
