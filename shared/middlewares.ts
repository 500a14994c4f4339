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
// What the exports above name in their signatures, so a team can name it too (and the API reference shows it).
export type { ApprovalRecord } from './approval/index.ts';
export { ApprovalStatus } from './approval/index.ts';
export type { StoredApproval } from './approval/index.ts';
export type { QuorumVote } from './approval/index.ts';
export { BreakerState } from './breaker/index.ts';
export type { Begun, Claim, PreviousAttempt } from './idempotency/middleware.ts';
export type { DeadlineOptions } from './pipeline/middleware.ts';
export type { PipelinePolicies } from './pipeline/index.ts';
export type { ToolResultOptions } from './pipeline/middleware.ts';
export type { AdmissionStep, GuardMiddleware } from './plumbing/middleware.ts';
export type { PolicyReads } from './policies/index.ts';
export type { PolicyRequest } from './policies/index.ts';
export type { CompiledPolicy, CompiledPolicySet, HistoryAttribute, PolicyDecision } from './policies/index.ts';
export type { Taken } from './rate-limit/middleware.ts';
