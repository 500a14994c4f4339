import type { MiddlewareObj } from '@middy/core';
import { namedHooks } from '../plumbing/index.ts';
import type { GuardMiddleware } from '../plumbing/middleware.ts';
import type { ToolInvocation } from '../tool/index.ts';
import { GuardDecision, guardSpan } from '../tracing/index.ts';

export interface AdmissionOptions {
  /** Told when giving back what a step took failed (a token not refunded, a claim held until its lock lapses). */
  readonly onUndoError?: (error: unknown, step: string) => void;
}

/**
 * Admits a call through several guards in one round trip: every guard's requests (the approval
 * read, the idempotency claim, both token writes) go out together, then each guard decides on what
 * its own found, in the order given. The first refusal wins (as if the guards had run one after the
 * other), and what the other guards took is given back: a claim is released, tokens taken before
 * the limits were reached are refunded. An answer without running (an idempotent replay) does the same.
 * A guard whose requests failed refuses in its turn: fail closed.
 *
 * Register the guards' own `after` and `onError` after this middleware (see `guardHooks`): they
 * settle what the admitted call took once it has run.
 *
 * @example
 * const guards = [idempotency({ store, tool, lockMs }), rateLimit({ store: buckets, tool, limits })];
 * middy().use(admission(guards)).use(guardHooks(guards)).handler(run);
 */
export const admission = (guards: readonly GuardMiddleware<unknown>[], options: AdmissionOptions = {}): MiddlewareObj<ToolInvocation> => {
  const steps = guards.map((guard) => guard.step);
  const { onUndoError = () => {} } = options;
  return namedHooks('admission', {
    before: async (request) => {
      // Each guard is a span beneath the call's; its requests (DynamoDB spans) nest beneath it.
      const spans = steps.map((step) => guardSpan(step.name));
      try {
        // async: a start that throws at once is a refusal in its turn too, not an escape from the others.
        const started = await Promise.allSettled(steps.map(async (step, i) => spans[i]!.within(() => step.start(request))));
        const undoOthers = (except: number) =>
          Promise.all(
            steps.map(async (step, i) => {
              const outcome = started[i];
              if (i === except || outcome?.status !== 'fulfilled' || !step.undo) return;
              try {
                await step.undo(request, outcome.value);
              } catch (error) {
                onUndoError(error, step.name);
              }
            }),
          );
        for (const [i, step] of steps.entries()) {
          const outcome = started[i];
          const span = spans[i]!;
          let response: unknown;
          try {
            if (outcome?.status !== 'fulfilled') throw outcome?.reason;
            response = await span.within(() => step.decide(request, outcome.value));
          } catch (error) {
            span.decided(GuardDecision.REFUSE, error);
            await undoOthers(i);
            throw error;
          }
          if (response !== undefined) {
            span.decided(GuardDecision.ANSWER);
            await undoOthers(i);
            return response;
          }
          span.decided(GuardDecision.PASS);
        }
        return undefined;
      } finally {
        for (const span of spans) span.end();
      }
    },
  });
};

/**
 * The guards' hooks for after the call (their `before` is the admission's), in the guards' order:
 * what the pipeline registers after `admission`. Guards with nothing to settle are left out.
 */
export const guardHooks = (guards: readonly GuardMiddleware<unknown>[]): Array<MiddlewareObj<ToolInvocation>> =>
  guards
    .filter(({ after, onError }) => after || onError)
    .map(({ after, onError }) => ({ ...(after ? { after } : {}), ...(onError ? { onError } : {}) }));
