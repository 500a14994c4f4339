/**
 * The pipeline's middlewares, one surface apart from its index as Powertools publishes `./middleware`:
 * they load middy's types, which a tool's Lambda entry (the index's `createGuardedHandler`) has no
 * use for. The guards' own middlewares are each in their capability's `middleware.ts`.
 */
export { admission, guardHooks } from './admission.ts';
export { correlationIds } from './correlation-ids.ts';
export { withDeadline, type DeadlineOptions } from './deadline.ts';
export { requireFlow, requireRole } from './require-role.ts';
export { toolMetrics } from './tool-metrics.ts';
export { toolResult, type ToolResultOptions } from './tool-result.ts';
export { validateCall } from './validate-call.ts';
export type { GuardMiddleware } from '../plumbing/middleware.ts';
