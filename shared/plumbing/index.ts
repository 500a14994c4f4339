/**
 * The plumbing every guard is built with, apart from middy's types: per-request slots, hooks named
 * for traces, and the attempt an invocation is (with the writes deferred to its audit record). The
 * admission step a guard contributes (it carries middy's types) is the surface's `middleware.ts`,
 * as for every capability: a module that needs no middleware loads no middy types.
 */
export {
  type Attempt,
  attemptOf,
  deferPut,
  markAttemptStart,
  noteBreakerOpened,
  notePolicyRecord,
  openedBreaker,
  policyRecordOfAttempt,
  takeDeferredPuts,
} from './attempt.ts';
export { namedHooks } from './named-hooks.ts';
export { type RequestSlot, requestSlot } from './request-slot.ts';
