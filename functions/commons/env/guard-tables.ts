import { requireEnv } from '../../../shared/aws/index.ts';
import type { GuardTables } from '../../../shared/pipeline/index.ts';
import { guardTableSpecs } from '../../../shared/tables/index.ts';
import type { Env } from './env-var.ts';

/** The guard tables a tool's pipeline needs, by the names their TableSpecs give; a missing one fails the cold start. */
export const guardTablesOf = (env: Env = process.env): GuardTables => ({
  guard: requireEnv(guardTableSpecs.guard.envVar, env),
  idempotency: requireEnv(guardTableSpecs.idempotency.envVar, env),
  audit: requireEnv(guardTableSpecs.audit.envVar, env),
});
