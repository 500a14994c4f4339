/**
 * The guard table holds rate-limit buckets and breaker state. The per-tool item carries both the
 * tool's bucket and its breaker, so the one conditional write that takes a token also returns the
 * breaker state: no read on the happy path.
 */
export const toolItemKey = (tool: string): string => `tool#${tool}`;
export const userToolItemKey = (userId: string, tool: string): string => `user#${userId}#tool#${tool}`;
export const GUARD_PARTITION_KEY = 'pk';
export const GUARD_TTL_ATTRIBUTE = 'expiresAt';
