export { correlationIds } from './correlation-ids.ts';
export { withDeadline, type DeadlineOptions } from './deadline.ts';
export { createGuardedHandler, type GuardedHandler, type GuardedHandlerOptions, type GuardTables } from './guarded-handler.ts';
export { requireRole } from './require-role.ts';
export { toolMetrics } from './tool-metrics.ts';
export { toolResult, type ToolResultOptions } from './tool-result.ts';
export { validateCall } from './validate-call.ts';
export { admission } from './admission.ts';
