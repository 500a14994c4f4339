/** What the routes share: parsing a body, the caller's run, time parameters, who may decide an approval. */
import { shownArguments, mayDecide, type StoredApproval } from '../../shared/approval/index.ts';
import * as z from 'zod/mini';
import { redactString } from '../../shared/redaction/index.ts';
import { APPROVER_GROUP, describeIssues, Role, type ToolRegistry } from '../../shared/tool/index.ts';
import type { SpendBudgets, Spender } from '../../shared/budgets/index.ts';
import { spenderOf, tenantSourceText } from './spender.ts';
import type { Identity } from './api-types.ts';
import { badRequest, forbidden, notFound } from './http-error.ts';
import type { McpLabel } from './mcp/mcp-label-store.ts';
import { isRunId } from './request-schemas.ts';
import { parseJsonBody } from './request-body.ts';
import type { ApiDeps, AuthenticatedRequest } from './api-deps.ts';

/** Who spends for a caller under the deployment's budgets; a caller with no tenant where one is needed gets 403 (fails closed). */
export const spenderFor = (identity: Identity, budgets: SpendBudgets | undefined): Spender => {
  const spender = spenderOf(identity, budgets);
  if (!spender)
    throw forbidden(
      `This deployment keeps budgets per tenant, and your token names no tenant (${tenantSourceText(budgets)}); ask an admin to add you to one.`,
    );
  return spender;
};

export const parseJson = parseJsonBody;

export const parseWith = <T>(schema: z.ZodMiniType<T>, value: unknown): T => {
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
  return parsed.data;
};

export const ownRun = async ({ identity }: AuthenticatedRequest, runId: string | undefined, deps: ApiDeps) => {
  // A run that is not yours is as absent as one that does not exist: no existence leak.
  if (!isRunId(runId)) throw notFound('No such run.');
  const snapshot = await deps.runs.load(runId);
  if (!snapshot || (snapshot.run.owner !== identity.userId && !identity.groups.includes(Role.ADMIN))) throw notFound('No such run.');
  return snapshot;
};

export const DAY_MS = 86_400_000;
export const MAX_USAGE_RANGE_DAYS = 92;
/** A time in a query: ISO-8601 (`2026-11-30`, `2026-11-30T12:00:00Z`) or an age (`90m`, `24h`, `7d`). */
export const timeParam = (value: string, now: number, name: string): Date => {
  const age = /^(\d{1,6})([mhd])$/.exec(value);
  if (age) return new Date(now - Number(age[1]) * { m: 60_000, h: 3_600_000, d: DAY_MS }[age[2] as 'm' | 'h' | 'd']);
  const at = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(value) ? new Date(value) : undefined;
  if (!at || Number.isNaN(at.getTime()))
    throw badRequest(`${name} must be an ISO-8601 UTC time (2026-11-30, 2026-11-30T12:00:00Z) or an age (90m, 24h, 7d).`);
  return at;
};

/**
 * What an approver needs to judge a call: what the user asked, what the model said when it asked
 * for the call, and what the run did before. Text is redacted and cut; a call asked for over MCP
 * has no run behind it (its client is the model).
 */
export const approvalContext = async (deps: ApiDeps, runId: string, callId: string) => {
  if (runId.startsWith('mcp-')) return { via: 'mcp', request: null, modelSaid: null, earlierCalls: [] };
  const snapshot = isRunId(runId) ? await deps.runs.load(runId) : undefined;
  if (!snapshot) return { via: 'run', request: null, modelSaid: null, earlierCalls: [] };
  const asked = [...snapshot.messages].reverse().find((m) => m.role === 'assistant');
  return {
    via: 'run',
    request: redactString(snapshot.run.input.slice(0, 500)),
    modelSaid: asked && asked.role === 'assistant' && asked.text ? redactString(asked.text.slice(0, 500)) : null,
    earlierCalls: snapshot.calls
      .filter((c) => c.callId !== callId)
      .slice(-20)
      .map((c) => ({ tool: c.tool, status: c.status, code: c.code ?? null })),
  };
};

/** A user's MCP label as the API shows it: where untrusted content came in, since and until when. */
export const labelView = (label: McpLabel | undefined) =>
  label
    ? {
        tool: label.tool,
        callId: label.callId,
        session: label.runId,
        since: new Date(label.at).toISOString(),
        expiresAt: new Date(label.expiresAt * 1000).toISOString(),
      }
    : null;

/** Arguments as the API shows them to those who may see the run: in full, secrets masked; null when none were stored. */
export const argumentsShown = (args: unknown): unknown => (args === undefined ? null : shownArguments(args));

/** Now in epoch milliseconds: an audit record's time, so a trail sorts in the order things happened within a second. */
export const millisNow = (deps: Pick<ApiDeps, 'now'>): number => (deps.now ?? Date.now)();

/** Now in epoch seconds, as approvals count time. */
export const secondsNow = (deps: Pick<ApiDeps, 'now'>): number => Math.floor(millisNow(deps) / 1000);

/** Whether this caller may decide this approval now: an approver, the escalation group once escalated, or its delegate. */
export const mayDecideNow = (deps: ApiDeps, record: StoredApproval, identity: Identity) =>
  mayDecide(record, identity, APPROVER_GROUP, deps.escalation?.group, secondsNow(deps)) !== undefined;

export const NOT_AN_APPROVER =
  'Only approvers (and, once escalated, the escalation group; or a colleague an approval was handed to) may see or decide approvals.';

export const effectOf = (registry: ToolRegistry, name: string) => {
  const tool = registry.resolve(name);
  return tool ? { risk: tool.risk, reversible: tool.reversible } : {};
};
