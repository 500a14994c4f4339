import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from '#shared/pipeline/middleware.ts';
import { ToolDeclinedError, ToolFailedError, ToolTimeoutError } from '#shared/tool-result/index.ts';
import type { AnyTool, ToolInvocation } from '#shared/tool/index.ts';
import { testTool } from '../../support/test-tool.ts';

const invocation = {
  runId: 'r1',
  callId: 'c1',
  tool: 'deadline_tool',
  caller: { userId: 'alice', groups: ['user'] },
  arguments: { text: 'a' },
};
/** A context whose Lambda has `remainingMs` left, whenever asked. */
const lambdaWith = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs }) as Context;
const noLambda = {} as Context;

/** A tool whose handler does what the test says, and hands its signal out. */
const toolDoing = (behaviour: () => Promise<unknown>, timeoutMs = 5000) => {
  let signal: AbortSignal | undefined;
  const declared = testTool({ name: 'deadline_tool', timeoutMs, behaviour });
  const tool: AnyTool = {
    ...declared.tool,
    handler: (input, context) => ((signal = context.signal), declared.tool.handler(input as { text: string }, context)),
  };
  const executions = declared.executions;
  return { tool, executions, signal: () => signal };
};
const run = (tool: AnyTool, context: Context, options: { reserveMs: number; maxResultBytes?: number }) =>
  withDeadline(
    tool,
    {},
    options,
  )(invocation as ToolInvocation, context).then(
    (value) => ({ value }),
    (error: unknown) => ({ error: error as Error }),
  );

afterEach(() => vi.useRealTimers());

describe('withDeadline', () => {
  it('gives the handler the Lambda’s remaining time less the reserve, when that is shorter than its timeout, then aborts it', async () => {
    vi.useFakeTimers();
    const { tool, signal } = toolDoing(() => new Promise(() => {}));
    const outcome = run(tool, lambdaWith(1500), { reserveMs: 1000 });
    await vi.advanceTimersByTimeAsync(499);
    expect(signal()?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const { error } = (await outcome) as { error: ToolTimeoutError };
    expect([error, error.message]).toEqual([expect.any(ToolTimeoutError), 'deadline_tool did not finish within 500 ms and was stopped.']);
    expect([signal()?.aborted, signal()?.reason]).toEqual([true, error]);
  });

  it('gives the handler its own timeout outside Lambda, and leaves no timer behind a call that finished', async () => {
    vi.useFakeTimers();
    const slow = toolDoing(() => new Promise(() => {}), 800);
    const outcome = run(slow.tool, noLambda, { reserveMs: 1000 });
    await vi.advanceTimersByTimeAsync(800);
    expect(((await outcome) as { error: Error }).error.message).toBe('deadline_tool did not finish within 800 ms and was stopped.');
    const quick = toolDoing(async () => ({ fine: true }), 800);
    expect(await run(quick.tool, noLambda, { reserveMs: 1000 })).toEqual({ value: { fine: true } });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs nothing when the reserve leaves no time at all', async () => {
    const { tool, executions } = toolDoing(async () => 'ran');
    const { error } = (await run(tool, lambdaWith(1000), { reserveMs: 1000 })) as { error: Error };
    expect([error.message, executions]).toEqual(['deadline_tool did not finish within 0 ms and was stopped.', []]);
  });

  it('refuses a result larger than allowed (65,536 JSON bytes unless told), saying how large', async () => {
    const sized = (bytes: number) => toolDoing(async () => 'x'.repeat(bytes - 2)).tool; // the JSON string's quotes count
    expect(await run(sized(65_536), noLambda, { reserveMs: 0 })).toEqual({ value: 'x'.repeat(65_534) });
    const { error } = (await run(sized(65_537), noLambda, { reserveMs: 0 })) as { error: ToolFailedError };
    expect([error, error.message, error.suggestion]).toEqual([
      expect.any(ToolFailedError),
      'deadline_tool returned 65537 bytes, more than the 65536 allowed.',
      'Ask for less (a narrower query).',
    ]);
    const nothing = toolDoing(async () => undefined).tool;
    expect(((await run(nothing, noLambda, { reserveMs: 0, maxResultBytes: 3 })) as { error: Error }).error.message).toBe(
      'deadline_tool returned 4 bytes, more than the 3 allowed.',
    );
  });

  it('passes a ToolError on as it is, and turns anything else into a retryable TOOL_FAILED that shows no internals', async () => {
    const declined = new ToolDeclinedError('No such order.');
    expect(((await run(toolDoing(async () => Promise.reject(declined)).tool, noLambda, { reserveMs: 0 })) as { error: Error }).error).toBe(
      declined,
    );
    const crash = new TypeError('cannot read properties of undefined (secret internals)');
    const { error } = (await run(toolDoing(async () => Promise.reject(crash)).tool, noLambda, { reserveMs: 0 })) as {
      error: ToolFailedError;
    };
    expect([error, error.message, error.retryable, error.cause]).toEqual([
      expect.any(ToolFailedError),
      'deadline_tool failed.',
      true,
      crash,
    ]);
  });
});
