import type { MiddlewareObj } from '@middy/core';
import type { ToolInvocation } from '../tool/index.ts';

/** What a guard's admission step sees of the invocation: its event, context and slots. */
export type GuardRequest = Parameters<NonNullable<MiddlewareObj<ToolInvocation>['before']>>[0];

/**
 * One guard's part in admitting a call, split so that every guard's reads and writes can go out
 * together (one round trip for all of them) while the decisions stay in pipeline order:
 *
 * - `start` sends the guard's requests for this call (a claim, a token write, a read);
 * - `decide` judges what they found, in order: it throws to refuse, or returns a response to give
 *   without running the handler (an idempotent replay), or undefined to let the call on;
 * - `undo` gives back what `start` took, when another step refused or answered the call.
 *
 * Used alone (as its guard middleware's `before`), a step is start then decide.
 */
export interface AdmissionStep<Started = unknown> {
  readonly name: string;
  /** Sends the guard's request (all guards' go out together). */
  start(request: GuardRequest): Promise<Started>;
  /** Decides on what the request returned: passes, or throws the refusal. */
  decide(request: GuardRequest, started: Started): Promise<unknown>;
  /** Gives back what the guard took when another guard refused the call. */
  undo?(request: GuardRequest, started: Started): Promise<void>;
}

/** A guard middleware that also offers its admission step to the pipeline. */
export type GuardMiddleware<Started = unknown> = MiddlewareObj<ToolInvocation> & { readonly step: AdmissionStep<Started> };

/** The `before` of a guard used on its own: its step's start, then its decision. */
export const admitAlone =
  <Started>(step: AdmissionStep<Started>) =>
  async (request: GuardRequest): Promise<unknown> =>
    step.decide(request, await step.start(request));
