import middy, { type MiddlewareObj } from '@middy/core';
import type { ToolInvocation } from '#shared/tool/index.ts';
import { lambdaContext } from './lambda-context.ts';

/** One middleware alone around a handler, through middy, as its unit tests drive it. */
export const throughMiddy = (
  middleware: MiddlewareObj<ToolInvocation>,
  handler: (event: ToolInvocation) => Promise<unknown> = async () => ({ ran: true }),
) => {
  const wrapped = middy<ToolInvocation>().use(middleware).handler(handler);
  return (event: Partial<ToolInvocation> = {}, context = lambdaContext()) =>
    wrapped(
      {
        runId: 'run-1',
        callId: 'call-1',
        tool: 'lookup_note',
        caller: { userId: 'alice', groups: ['user'] },
        arguments: { text: 'a' },
        ...event,
      } as ToolInvocation,
      context,
    );
};
