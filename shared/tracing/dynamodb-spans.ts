import { context, SpanKind, trace } from '@opentelemetry/api';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ATTR_AWS_DYNAMODB_TABLE_NAMES,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_RPC_METHOD,
  ATTR_RPC_SERVICE,
  ATTR_RPC_SYSTEM,
  DB_SYSTEM_NAME_VALUE_AWS_DYNAMODB,
} from './semconv.ts';
import { inSpan } from './spans.ts';

/** The tables a command names: `TableName`, or the keys of a batch's `RequestItems`, or a transaction's items. */
const tablesOf = (input: Record<string, unknown>): string[] => {
  if (typeof input.TableName === 'string') return [input.TableName];
  if (input.RequestItems && typeof input.RequestItems === 'object') return Object.keys(input.RequestItems);
  if (Array.isArray(input.TransactItems))
    return [
      ...new Set(
        input.TransactItems.flatMap((item: Record<string, { TableName?: unknown }>) =>
          Object.values(item).flatMap((op) => (typeof op?.TableName === 'string' ? [op.TableName] : [])),
        ),
      ),
    ];
  return [];
};

/**
 * One client span per DynamoDB command (`DynamoDB.PutItem`, with the AWS SDK's semantic-convention
 * attributes), beneath the span that sent it: what a guard's state cost shows in the trace. Only
 * inside a trace: a command with no span around it (a seed, the console's counters) adds none.
 *
 * @example
 * const client = traceDynamoDb(createDynamoDbClient());
 */
export const traceDynamoDb = <C extends Pick<DynamoDBClient, 'middlewareStack'>>(client: C): C => {
  client.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      if (!trace.getSpan(context.active())) return next(args);
      const method = String((handlerContext as { commandName?: string }).commandName ?? 'Command').replace(/Command$/, '');
      return inSpan(
        `DynamoDB.${method}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_RPC_SYSTEM]: 'aws-api',
            [ATTR_RPC_SERVICE]: 'DynamoDB',
            [ATTR_RPC_METHOD]: method,
            [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_AWS_DYNAMODB,
            [ATTR_DB_OPERATION_NAME]: method,
            [ATTR_AWS_DYNAMODB_TABLE_NAMES]: tablesOf(args.input as Record<string, unknown>),
          },
        },
        undefined,
        () => next(args),
      );
    },
    { step: 'initialize', name: 'openTelemetryDynamoDbSpan', override: true },
  );
  return client;
};
