/**
 * `guarded-agents/middlewares`: the guard pipeline as middy middlewares, in the order
 * `createGuardedHandler` puts them, for a team that composes its own handler. Loads the AWS SDK's
 * DynamoDB client and Powertools.
 */
export { approvalGate, type ApprovalGateOptions } from './approval/middleware.ts';
export { auditTrail, type AuditTrailOptions } from './audit/middleware.ts';
export { circuitBreaker, type CircuitBreakerOptions } from './breaker/middleware.ts';
export { idempotency, type IdempotencyOptions } from './idempotency/middleware.ts';
export { rateLimit, type RateLimitOptions } from './rate-limit/middleware.ts';
export { createGuardedHandler, type GuardedHandler, type GuardedHandlerOptions, type GuardTables } from './pipeline/index.ts';
export { requireRole, toolResult, validateCall, withDeadline } from './pipeline/middleware.ts';
