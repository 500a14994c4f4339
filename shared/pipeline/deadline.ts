import type { Context } from 'aws-lambda';
import type { AnyTool, ToolInvocation } from '../tool/index.ts';
import { ToolError, ToolFailedError, ToolTimeoutError } from '../tool-result/index.ts';

/**
 * The `withDeadline` middleware's settings: the time kept back for the guards to record a timeout,
 * and the largest result.
 */
export interface DeadlineOptions {
  /** Time kept back from the Lambda's remaining time so the guards can record a timeout. */
  readonly reserveMs: number;
  /** Results larger than this (JSON bytes) are refused: they would flood the model's context. @default 65536 */
  readonly maxResultBytes?: number;
}

/**
 * Runs the tool's handler under its own timeout, shorter than the Lambda's: on expiry the handler's
 * `signal` aborts and the call fails with TIMEOUT while there is still time to record it (breaker,
 * audit, metrics). Errors that are not `ToolError`s become TOOL_FAILED, with no internals shown.
 *
 * @example
 * middy().use(validateCall(lookupOrder)).handler(withDeadline(lookupOrder, { orders }, { reserveMs: 1000 }));
 */
export const withDeadline = <Deps>(tool: AnyTool, deps: Deps, options: DeadlineOptions) => {
  const maxResultBytes = options.maxResultBytes ?? 65_536;
  return async (event: ToolInvocation, context: Context): Promise<unknown> => {
    const remaining =
      typeof context.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis() - options.reserveMs
        : Number.POSITIVE_INFINITY;
    const budget = Math.min(tool.timeoutMs, remaining);
    if (budget <= 0) throw new ToolTimeoutError(tool.name, 0);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new ToolTimeoutError(tool.name, Math.round(budget));
        controller.abort(error);
        reject(error);
      }, budget);
    });
    try {
      // validateCall parsed the arguments with the tool's strict schema before the pipeline got here.
      const run = tool.handler(event.arguments as Parameters<AnyTool['handler']>[0], {
        runId: event.runId,
        callId: event.callId,
        caller: event.caller,
        signal: controller.signal,
        deps,
      });
      const result = await Promise.race([run, expired]);
      const size = Buffer.byteLength(JSON.stringify(result ?? null));
      if (size > maxResultBytes)
        throw new ToolFailedError(`${tool.name} returned ${size} bytes, more than the ${maxResultBytes} allowed.`, {
          suggestion: 'Ask for less (a narrower query).',
        });
      return result;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      throw new ToolFailedError(`${tool.name} failed.`, { cause: error, retryable: true });
    } finally {
      clearTimeout(timer);
    }
  };
};
