import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Decision, evaluatePolicies, type PolicyStatement } from './policy-evaluator.ts';
import { LOCAL_ACCOUNT, localTableArn } from './function-policies.ts';

/** What one DynamoDB command asks IAM for: an action on a resource, one pair per table item touched. */
export const dynamoDbRequests = (commandName: string, input: Record<string, unknown>): Array<{ action: string; resource: string }> => {
  const operation = commandName.replace(/Command$/, '');
  const onTable = (table: unknown, action: string, index?: unknown) => ({ action: `dynamodb:${action}`, resource: `${localTableArn(String(table))}${typeof index === 'string' ? `/index/${index}` : ''}` });
  switch (operation) {
    case 'TransactWriteItems': {
      // A transaction needs each underlying action on each table it writes (there is no TransactWriteItems action).
      const kinds: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };
      return ((input.TransactItems ?? []) as Array<Record<string, { TableName?: string }>>).flatMap((item) =>
        Object.entries(item).flatMap(([kind, body]) => (kinds[kind] ? [onTable(body?.TableName, kinds[kind])] : [])));
    }
    case 'TransactGetItems':
      return ((input.TransactItems ?? []) as Array<{ Get?: { TableName?: string } }>).map((item) => onTable(item.Get?.TableName, 'GetItem'));
    case 'BatchGetItem':
      return Object.keys((input.RequestItems ?? {}) as object).map((table) => onTable(table, 'BatchGetItem'));
    case 'BatchWriteItem':
      return Object.keys((input.RequestItems ?? {}) as object).map((table) => onTable(table, 'BatchWriteItem'));
    default:
      return [onTable(input.TableName, operation, input.IndexName)];
  }
};

/** The error AWS answers a request with when no identity policy allows it, in the SDK's shape. */
export const accessDenied = (functionName: string, action: string, resource: string): Error =>
  Object.assign(new Error(`User: arn:aws:sts::${LOCAL_ACCOUNT.account}:assumed-role/${functionName}-role/${functionName} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`), {
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });

export interface IamRecord {
  readonly functionName: string;
  readonly action: string;
  readonly resource: string;
}

/**
 * The local system's IAM: every AWS call a function makes locally is authorized against that
 * function's role policies from the synthesized template before it reaches the embedded service.
 * A call AWS would deny is denied here with AWS's AccessDeniedException. Also keeps what was
 * asked (for the least-privilege report) and what was denied.
 */
export const createLocalIam = (policies: ReadonlyMap<string, readonly PolicyStatement[]>) => {
  const used = new Map<string, Set<string>>();
  const denials: IamRecord[] = [];
  const check = (functionName: string, action: string, resource: string, context?: Record<string, string>): void => {
    const statements = policies.get(functionName);
    const decision = statements ? evaluatePolicies(statements, { action, resource, ...(context ? { context } : {}) }) : Decision.IMPLICITLY_DENIED;
    if (decision !== Decision.ALLOWED) {
      denials.push({ functionName, action, resource });
      throw accessDenied(functionName, action, resource);
    }
    const seen = used.get(functionName) ?? new Set<string>();
    seen.add(`${action} ${resource}`);
    used.set(functionName, seen);
  };
  return {
    policies,
    check,
    /** Authorizes every command the client sends as `functionName` (its role), before it leaves. */
    guardClient: <C extends DynamoDBClient>(client: C, functionName: string): C => {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          for (const { action, resource } of dynamoDbRequests(String(context.commandName ?? ''), args.input as Record<string, unknown>)) check(functionName, action, resource);
          return next(args);
        },
        { step: 'initialize', name: 'localIamAuthorization' },
      );
      return client;
    },
    /** Each function's `action resource` pairs that were allowed, so far. */
    used: (): ReadonlyMap<string, ReadonlySet<string>> => used,
    denials: (): readonly IamRecord[] => denials,
  };
};

export type LocalIam = ReturnType<typeof createLocalIam>;
