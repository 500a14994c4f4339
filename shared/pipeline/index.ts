export { createGuardedHandler, type GuardedHandler, type GuardedHandlerOptions, type GuardTables } from './guarded-handler.ts';
export { guardedHandlerAccess } from './pipeline-access.ts';
export type { PipelinePolicies } from './pipeline-policies.ts';
