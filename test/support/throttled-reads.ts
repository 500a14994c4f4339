import type { KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { embeddedClientConfig } from '../../infra/local/embedded-aws.ts';

/**
 * A client on which DynamoDB answers for only half of the keys of `table` (rounded down), the first
 * `times` reads, and hands the rest back as `UnprocessedKeys` (as it does when throttled). `reads`
 * counts the reads asked for.
 */
export const throttledReads = (endpoint: string, table: string, times: number) => {
  const client = createDynamoDbClient(embeddedClientConfig(endpoint));
  const seen = { reads: 0 };
  let left = times;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { RequestItems: Record<string, KeysAndAttributes> };
      const asked = input.RequestItems[table];
      if (context.commandName === 'BatchGetItemCommand') seen.reads++;
      if (context.commandName !== 'BatchGetItemCommand' || !asked?.Keys || left-- <= 0) return next(args);
      const half = Math.floor(asked.Keys.length / 2);
      const unprocessed = { UnprocessedKeys: { [table]: { ...asked, Keys: asked.Keys.slice(half) } } };
      if (half === 0) return { output: { $metadata: {}, Responses: { [table]: [] }, ...unprocessed }, response: {} } as never;
      input.RequestItems[table] = { ...asked, Keys: asked.Keys.slice(0, half) };
      const out = await next(args);
      return { ...out, output: { ...(out.output as object), ...unprocessed } } as never;
    },
    { step: 'initialize', name: 'throttle' },
  );
  return { client, seen };
};
