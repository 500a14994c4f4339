/**
 * `guarded-agents/middlewares`: the guard pipeline as middy middlewares, in the order
 * `createGuardedHandler` puts them, for a team that composes its own handler. Loads the AWS SDK's
 * DynamoDB client and Powertools.
 */
export { approvalGate, type ApprovalGateOptions } from './approval/index.ts';
export { auditTrail, type AuditTrailOptions } from './audit/index.ts';
export { circuitBreaker, type CircuitBreakerOptions } from './breaker/index.ts';
export { idempotency, type IdempotencyOptions } from './idempotency/index.ts';
export { rateLimit, type RateLimitOptions } from './rate-limit/index.ts';
export {
  createGuardedHandler,
  requireRole,
  toolResult,
  validateCall,
  withDeadline,
  type GuardedHandler,
  type GuardedHandlerOptions,
  type GuardTables,
} from './pipeline/index.ts';
