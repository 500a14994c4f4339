export { createGuardedHandler, type GuardedHandler, type GuardedHandlerOptions, type GuardTables } from './guarded-handler.ts';
