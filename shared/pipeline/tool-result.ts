import type { MiddlewareObj } from '@middy/core';
import { IdempotentReplay } from '../idempotency/index.ts';
import { failure, success, type ToolFailure, failureOf } from '../tool-result/index.ts';
import { namedHooks } from '../plumbing/index.ts';

/**
 * What the `toolResult` middleware tells of each failure it shapes into a result (for logging its
 * cause).
 */
export interface ToolResultOptions {
  /** Told about every failure with the original error (for logging its cause). */
  readonly onFailure?: (error: unknown, failure: ToolFailure) => void;
}

/**
 * A receipt names the call it answers, so the loop pairs answers with calls by id, never by their
 * position in the state machine's Map output. Undefined when the caller asked for no receipt.
 */
const receiptFor = (event: unknown): { callId?: string } | undefined => {
  const { receipt, callId } = (event ?? {}) as { receipt?: unknown; callId?: unknown };
  if (receipt !== true) return undefined;
  return typeof callId === 'string' ? { callId } : {};
};

/**
 * Shapes every outcome into the result of DESIGN.md: `{ ok: true, data }` or `{ ok: false, error }`.
 * Sets the response in `onError` without returning it, so the metrics and logger middlewares
 * outside it still flush.
 *
 * @example
 * middy(handler).use(toolResult({ onFailure: (_error, failure) => logger.warn('tool call refused or failed', { code: failure.code }) }));
 */
export const toolResult = (options: ToolResultOptions = {}): MiddlewareObj => {
  const { onFailure = () => {} } = options;
  return namedHooks('toolResult', {
    after: (request) => {
      const response = request.response;
      // The state machine asks for a receipt: the caller reads the data from the idempotency record.
      const receipt = receiptFor(request.event);
      if (receipt) {
        request.response = { ok: true, receipt: true, ...receipt };
        return;
      }
      request.response = success(response instanceof IdempotentReplay ? response.result : response);
    },
    onError: (request) => {
      onFailure(request.error, failureOf(request.error));
      request.response = { ...failure(request.error), ...receiptFor(request.event) };
    },
  });
};
