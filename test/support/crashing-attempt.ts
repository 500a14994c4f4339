/**
 * One attempt at a tool call in a process of its own, killed (SIGKILL, as a Lambda sandbox dies)
 * at a chosen point: `after-effect` right after the handler's side effect, `before-audit` after
 * the result was stored for replay but before the audit record. Run by crashed-attempt.test.ts.
 */
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { createGuardedHandler } from '#shared/pipeline/index.ts';
import { embeddedClientConfig } from '../../infra/local/embedded-aws.ts';
import { crashTool } from './crash-tool.ts';
import { lambdaContext } from './lambda-context.ts';

const { endpoint, tables, effects, crashAt, event, attemptId } = JSON.parse(process.argv[2] ?? '{}') as {
  endpoint: string;
  tables: { guard: string; idempotency: string; audit: string };
  effects: string;
  crashAt: 'after-effect' | 'before-audit';
  event: unknown;
  attemptId: string;
};
const die = () => process.kill(process.pid, 'SIGKILL');
const client = createDynamoDbClient({ ...embeddedClientConfig(endpoint), maxAttempts: 1 });
if (crashAt === 'before-audit') {
  // The stored result and the audit record go out in one batch: DynamoDB writes the result and
  // leaves the record unprocessed (throttled), and the sandbox dies before sending it again.
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { RequestItems?: Record<string, unknown> };
      if (context.commandName !== 'BatchWriteItemCommand' || !input.RequestItems?.[tables.audit]) return next(args);
      delete input.RequestItems[tables.audit];
      const output = await next(args);
      die();
      return output;
    },
    { step: 'initialize', name: 'dieBeforeAudit' },
  );
}
const handler = createGuardedHandler({
  tool: crashTool,
  deps: { client, effects, ...(crashAt === 'after-effect' ? { afterEffect: die } : {}) },
  client,
  tables,
});
await handler(event, { ...lambdaContext(), awsRequestId: attemptId });
// Reaching this line means the crash did not happen: say so, the test fails on it.
console.log('survived');
