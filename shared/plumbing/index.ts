/**
 * The middy plumbing every guard is built with: the admission step a guard contributes to the
 * pipeline's single round trip, its hooks named for traces, per-request slots, and the attempt an
 * invocation is (with the writes deferred to its audit record). A capability of its own, so the
 * guards depend on it and not on `tool` for their mechanics.
 */
export { admitAlone, type AdmissionStep, type GuardMiddleware, type GuardRequest } from './admission-step.ts';
export { type Attempt, attemptOf, deferPut, markAttemptStart, noteBreakerOpened, openedBreaker, takeDeferredPuts } from './attempt.ts';
export { namedHooks } from './named-hooks.ts';
export { type RequestSlot, requestSlot } from './request-slot.ts';
