import {
  ApprovalDecisionRefusedError,
  type ApprovalEscalation,
  ApprovalStatus,
  approvalSummary,
  approvalView,
  describeShown,
  shownArguments,
  claimedAuthority,
  type DynamoDbApprovalStore,
  mayDecide,
  type SlackDeciderResolver,
  type StoredApproval,
  verifySlackSignature,
} from '../../shared/approval/index.ts';
import { runTraceIds, type SpanRecord } from '../../shared/tracing/index.ts';
import * as z from 'zod/mini';
import {
  buildDecisionRecord,
  buildLabelClearedRecord,
  compareWithAnchors,
  compareWithArchive,
  type DynamoDbAuditStore,
  latestAnchor,
  reachedTool,
  type S3AuditArchive,
  verifyChain,
} from '../../shared/audit/index.ts';
import { roleAllowlist, toolArguments } from '../../shared/guards/index.ts';
import { redactString } from '../../shared/redaction/index.ts';
import { type DynamoDbBucketStore, planBucket } from '../../shared/rate-limit/index.ts';
import {
  type DynamoDbRunStore,
  effectiveBudget,
  type ModelPrices,
  type RunBudget,
  RunStatus,
  sentArguments,
  spentOf,
  TERMINAL_STATUSES,
} from '../../shared/runs/index.ts';
import {
  APPROVER_GROUP,
  type BucketLimit,
  describeIssues,
  RiskClass,
  Role,
  type ToolRegistry,
  toolSpec,
  withDeclaration,
} from '../../shared/tool/index.ts';
import type { SpendBudgets, Spender, SpendGuard } from '../../shared/budgets/index.ts';
import { spenderOf, tenantSourceText } from './spender.ts';
import type { ApiRequest, ApiResponse, Identity } from './api-types.ts';
import { badRequest, forbidden, notFound, tooManyRequests, unauthorized } from './http-error.ts';
import { buildUsageReport } from './usage-report.ts';
import { auditCsv, auditJsonLines } from './audit-export.ts';
import { isMcpRun, MCP_APPROVAL_TOKEN } from './mcp/mcp-approval-token.ts';
import type { DynamoDbMcpLabelStore, McpLabel } from './mcp/mcp-label-store.ts';
import { protectedResourceMetadata, type McpAuthorization } from './mcp/protected-resource.ts';
import { hashCanonical } from '../../shared/canonical-json/index.ts';
import type { ApprovalTaskOutput } from '../orchestration/call-model/loop-state.ts';
import {
  auditSearchSchema,
  decideApprovalSchema,
  decodeRunCursor,
  delegateApprovalSchema,
  isApprovalId,
  isRunId,
  listRunsSchema,
  startRunSchema,
} from './request-schemas.ts';
import { parseJsonBody } from './request-body.ts';

export interface ApiDeps {
  readonly runs: DynamoDbRunStore;
  readonly audit: DynamoDbAuditStore;
  /** The deployment's caps on every run; a run's own budget can only lower them. @default none */
  readonly runBudget?: RunBudget;
  /** The model's prices, for budgets and spending in dollars. @default none */
  readonly prices?: ModelPrices;
  /** Budgets per user and tenant over days and months (GuardedAgent's `spendBudgets`): the tenant a run is kept to, `GET /budgets`. @default none */
  readonly spend?: { readonly budgets: SpendBudgets; readonly guard: Pick<SpendGuard, 'standing'> };
  /** Finished runs' chains where nobody can rewrite them (GuardedAgent's `auditArchive`): verify compares the table with them. */
  readonly auditArchive?: Pick<S3AuditArchive, 'get' | 'anchors'>;
  readonly approvals: DynamoDbApprovalStore;
  /** GuardedAgent's `approvalEscalation`: who else may see and decide approvals that waited long. @default none */
  readonly escalation?: ApprovalEscalation;
  /** Buckets for the per-user limit on starting runs. */
  readonly runBuckets: DynamoDbBucketStore;
  readonly registry: ToolRegistry;
  /** Starts the loop's execution, named after the run id. */
  readonly startExecution: (runId: string) => Promise<void>;
  /** Resumes a waiting execution; the token never leaves the server. */
  readonly sendTaskSuccess: (taskToken: string, output: ApprovalTaskOutput) => Promise<void>;
  readonly openBreakers: (tools: readonly string[]) => Promise<ReadonlySet<string>>;
  /** Runs may carry a scripted model (local mode and test stacks only). */
  readonly allowScriptedModel: boolean;
  /** @default 5 runs in a burst, 10 a minute */
  readonly runLimit?: BucketLimit;
  /** Slack's signing secret, and who a Slack user is (resolved at decision time, same identities as the API's). */
  readonly slack?: { readonly signingSecret: string; readonly resolveDecider: SlackDeciderResolver };
  /** Told of every decision (the Slack message is rewritten); a failure here never undoes the decision. */
  readonly onDecided?: (record: StoredApproval, outcome: string) => Promise<void>;
  /** Local mode only: states entered by a run's execution. */
  readonly stateTransitions?: (runId: string, ended: boolean) => Promise<number | undefined>;
  readonly newRunId: () => string;
  /**
   * MCP at `/mcp` (absent: 404). Injected: the MCP SDK stays out of this function's bundle (deployed,
   * `/mcp` has a function of its own, functions/api/mcp/handler.ts).
   */
  readonly mcp?: { readonly handle: (request: AuthenticatedRequest) => Promise<ApiResponse> };
  /** Users' information-flow labels over MCP (the guard table): seen and cleared at `/users/{userId}/mcp-label`. */
  readonly mcpLabels?: Pick<DynamoDbMcpLabelStore, 'get' | 'clear'>;
  /**
   * A run's path through the state machine (local mode): each state of the synthesized definition,
   * how often the run entered it, and the run's transitions. Waits for an ended run's execution to end.
   */
  readonly loopPath?: (runId: string, ended: boolean) => Promise<object>;
  /** A run's spans, where this deployment keeps them (local mode, in memory); deployed they are exported instead. */
  readonly traces?: (runId: string) => readonly SpanRecord[];
  /** MCP authorization: the user pool `/mcp`'s tokens come from and the scope they carry (GuardedAgent's `mcpOAuth`). @default none */
  readonly mcpAuthorization?: McpAuthorization;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Who spends for a caller under the deployment's budgets; a caller with no tenant where one is needed gets 403 (fails closed). */
const spenderFor = (identity: Identity, budgets: SpendBudgets | undefined): Spender => {
  const spender = spenderOf(identity, budgets);
  if (!spender)
    throw forbidden(
      `This deployment keeps budgets per tenant, and your token names no tenant (${tenantSourceText(budgets)}); ask an admin to add you to one.`,
    );
  return spender;
};

/** A request on an authenticated route: the router has established who calls. */
export type AuthenticatedRequest = ApiRequest & { readonly identity: Identity };

type Handler<R> = (request: R, params: string[], deps: ApiDeps) => Promise<ApiResponse>;
interface RouteShape {
  readonly method: string;
  readonly pattern: RegExp;
}
/** A route whose handler gets the caller's identity (the router refuses the call without one), or one that needs none. */
export type Route =
  | (RouteShape & { readonly authenticated: true; readonly handler: Handler<AuthenticatedRequest> })
  /** Routes without identity check their own proof (Slack's signature) or serve nothing private. */
  | (RouteShape & { readonly authenticated: false; readonly handler: Handler<ApiRequest> });

const parseJson = parseJsonBody;

const parseWith = <T>(schema: z.ZodMiniType<T>, value: unknown): T => {
  const parsed = z.safeParse(schema, value);
  if (!parsed.success) throw badRequest(describeIssues(parsed.error.issues));
  return parsed.data;
};

const ownRun = async ({ identity }: AuthenticatedRequest, runId: string | undefined, deps: ApiDeps) => {
  // A run that is not yours is as absent as one that does not exist: no existence leak.
  if (!isRunId(runId)) throw notFound('No such run.');
  const snapshot = await deps.runs.load(runId);
  if (!snapshot || (snapshot.run.owner !== identity.userId && !identity.groups.includes(Role.ADMIN))) throw notFound('No such run.');
  return snapshot;
};

const DAY_MS = 86_400_000;
const MAX_USAGE_RANGE_DAYS = 92;
/** A time in a query: ISO-8601 (`2026-11-30`, `2026-11-30T12:00:00Z`) or an age (`90m`, `24h`, `7d`). */
const timeParam = (value: string, now: number, name: string): Date => {
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
const approvalContext = async (deps: ApiDeps, runId: string, callId: string) => {
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
const labelView = (label: McpLabel | undefined) =>
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
const argumentsShown = (args: unknown): unknown => (args === undefined ? null : shownArguments(args));

/** Now in epoch seconds, as approvals count time. */
const secondsNow = (deps: Pick<ApiDeps, 'now'>): number => Math.floor((deps.now ?? Date.now)() / 1000);

/** Whether this caller may decide this approval now: an approver, the escalation group once escalated, or its delegate. */
const mayDecideNow = (deps: ApiDeps, record: StoredApproval, identity: Identity) =>
  mayDecide(record, identity, APPROVER_GROUP, deps.escalation?.group, secondsNow(deps)) !== undefined;

const NOT_AN_APPROVER =
  'Only approvers (and, once escalated, the escalation group; or a colleague an approval was handed to) may see or decide approvals.';

const effectOf = (registry: ToolRegistry, name: string) => {
  const tool = registry.resolve(name);
  return tool ? { risk: tool.risk, reversible: tool.reversible } : {};
};

/**
 * Edit, then approve: the approver's arguments, checked by the tool's own strict schema (as the
 * tool's function will check them again), hashed as the tool hashes them, and redacted for the record.
 */
const editOf = async (
  deps: ApiDeps,
  approvalId: string,
  decision: 'approve' | 'deny',
  decider: Identity,
  edited: Record<string, unknown>,
) => {
  if (decision !== 'approve') throw badRequest('Only an approval can change the arguments; a denial leaves them as asked.');
  const current = await deps.approvals.get(approvalId);
  if (!current) throw notFound('No such approval.');
  if (!mayDecideNow(deps, current, decider)) throw forbidden(NOT_AN_APPROVER);
  if (isMcpRun(current.runId)) throw new ApprovalDecisionRefusedError('edit-over-mcp');
  const tool = deps.registry.resolve(current.tool);
  if (!tool) throw notFound('No such tool is deployed.');
  const parsed = toolArguments(tool, edited);
  if (!parsed.allow) throw badRequest(`The edited arguments are not valid for ${tool.name}: ${parsed.reason}`);
  // A tool's schema is a strict object: what it parsed is the arguments object the tool runs with.
  const args = parsed.value as Readonly<Record<string, unknown>>;
  const view = approvalView(args);
  return {
    arguments: args,
    argsHash: hashCanonical(args),
    summary: approvalSummary(args),
    shown: JSON.stringify(view.arguments),
    shortened: view.shortened,
    from: { argsHash: current.argsHash, summary: current.summary },
  };
};

/**
 * Runs a decision (or a delegation) and, when the store refuses it on an approval still pending,
 * puts the refusal on the run's record (who tried what, and why) before answering: someone trying
 * to decide what they may not is itself worth knowing. The approval is unchanged.
 */
const refusalsAudited = async <T>(
  deps: ApiDeps,
  approvalId: string,
  decider: Identity,
  decision: 'approve' | 'deny' | 'delegate',
  act: () => Promise<T>,
): Promise<T> => {
  try {
    return await act();
  } catch (error) {
    if (!(error instanceof ApprovalDecisionRefusedError)) throw error;
    // Only while pending: the run still waits, so its loop seals the record into the chain.
    const current = await deps.approvals.get(approvalId).catch(() => undefined);
    if (current?.status === ApprovalStatus.PENDING)
      await deps.audit.put(
        buildDecisionRecord({
          approvalId,
          runId: current.runId,
          callId: current.callId,
          tool: current.tool,
          decider: decider.userId,
          decision,
          refused: error.reason,
          summary: current.summary,
          at: (deps.now ?? Date.now)(),
          ...withDeclaration(deps.registry, current.tool),
        }),
      );
    throw error;
  }
};

const decide = async (
  deps: ApiDeps,
  approvalId: string,
  decision: 'approve' | 'deny',
  decider: Identity,
  rawReason?: string,
  edited?: Record<string, unknown>,
) => {
  // An approver may paste anything into the reason; it is stored and audited redacted.
  const reason = rawReason === undefined ? undefined : redactString(rawReason);
  const edit = edited === undefined ? undefined : await editOf(deps, approvalId, decision, decider, edited);
  const { record, taskToken } = await refusalsAudited(deps, approvalId, decider, decision, () =>
    deps.approvals.decide(approvalId, decision, decider, reason, edit),
  );
  // The decision (or the vote, with a quorum) is recorded before the execution resumes: no approved
  // call runs without its records.
  await deps.audit.put(
    buildDecisionRecord({
      approvalId,
      ...((record.quorum ?? 1) > 1 ? { voter: decider.userId } : {}),
      runId: record.runId,
      callId: record.callId,
      tool: record.tool,
      decider: decider.userId,
      decision,
      summary: record.summary,
      at: secondsNow(deps) * 1000,
      ...(reason ? { reason } : {}),
      ...(record.edited ? { editedFrom: record.edited.originalSummary } : {}),
      ...withDeclaration(deps.registry, record.tool),
    }),
  );
  // A vote that left the quorum short decided nothing yet: the execution keeps waiting.
  if (record.status === ApprovalStatus.PENDING) return record;
  // An approval asked for over MCP has no execution waiting: its caller calls the tool again.
  // An edit reaches the waiting execution with the decision: it runs the call with the approved arguments.
  if (taskToken !== MCP_APPROVAL_TOKEN)
    await deps.sendTaskSuccess(taskToken, { approvalId, decision, ...(edit ? { arguments: edit.arguments } : {}) });
  // Slack's message is rewritten with the outcome: an edit shows what was approved instead of what was asked.
  const outcome = `${decision === 'approve' ? 'approved' : 'denied'} by ${decider.userId}`;
  const shown = record.edited
    ? `${outcome}, with the arguments changed from ${record.edited.originalSummary} to ${record.summary}`
    : outcome;
  await deps.onDecided?.(record, shown).catch(() => undefined);
  return record;
};

export const routes: readonly Route[] = [
  { method: 'GET', pattern: /^\/health$/, authenticated: false, handler: async () => ({ status: 200, body: { status: 'ok' } }) },

  // MCP authorization: `/mcp`'s protected-resource metadata (RFC 9728), at the well-known path and its path-inserted `/mcp` form.
  ...[/^\/\.well-known\/oauth-protected-resource$/, /^\/\.well-known\/oauth-protected-resource\/mcp$/].map((pattern): Route => ({
    method: 'GET',
    pattern,
    authenticated: false,
    handler: async (request, _params, deps) => ({
      status: 200,
      body: protectedResourceMetadata(request.origin ?? '', deps.mcpAuthorization),
    }),
  })),

  {
    method: 'GET',
    pattern: /^\/tools$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      const tools = deps.registry.tools.filter((tool) => roleAllowlist(tool, identity.groups).allow);
      const open = await deps.openBreakers(tools.map((t) => t.name));
      return {
        status: 200,
        body: {
          tools: tools.map((tool) => ({
            ...toolSpec(tool),
            risk: tool.risk,
            needsApproval: tool.risk === RiskClass.DESTRUCTIVE,
            limits: tool.limits,
            timeoutMs: tool.timeoutMs,
            breaker: open.has(tool.name) ? 'OPEN' : 'CLOSED',
          })),
        },
      };
    },
  },

  {
    method: 'POST',
    pattern: /^\/runs$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      const body = parseWith(startRunSchema, parseJson(request.body));
      if (body.model && !deps.allowScriptedModel) throw badRequest('A scripted model is not enabled on this deployment.');
      if (body.budget?.usd !== undefined && !deps.prices)
        throw badRequest('This deployment declares no model prices, so a budget in dollars cannot be kept; set tokens instead.');
      const budget = effectiveBudget(body.budget, deps.runBudget);
      const { tenant } = spenderFor(identity, deps.spend?.budgets);
      const limit = deps.runLimit ?? { capacity: 5, refillPerMinute: 10 };
      const taken = await deps.runBuckets.take(`runs#user#${identity.userId}`, planBucket(limit));
      if (!taken.admitted) {
        throw tooManyRequests('Too many runs started', taken.retryAfterMs);
      }
      const runId = deps.newRunId();
      const now = new Date((deps.now ?? Date.now)()).toISOString();
      await deps.runs.create({
        runId,
        owner: identity.userId,
        groups: [...identity.groups],
        ...(tenant === undefined ? {} : { tenant }),
        input: body.input,
        maxIterations: body.maxIterations ?? 10,
        iteration: 0,
        status: RunStatus.RUNNING,
        ...(body.model ? { script: body.model } : {}),
        ...(budget ? { budget } : {}),
        createdAt: now,
        updatedAt: now,
      });
      await deps.startExecution(runId);
      return { status: 202, body: { runId, status: RunStatus.RUNNING } };
    },
  },

  // A user's MCP information-flow label: the user themself or an admin may see it and clear it
  // (they decide the model's context is clean again); a clearing is audited.
  ...(['GET', 'DELETE'] as const).map((method): Route => ({
    method,
    pattern: /^\/users\/([^/]+)\/mcp-label$/,
    authenticated: true,
    handler: async (request, [userId = ''], deps) => {
      const { identity } = request;
      if (!/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/.test(userId)) throw notFound('No such user.');
      if (userId !== identity.userId && !identity.groups.includes(Role.ADMIN))
        throw forbidden("Only the user themself or an admin may see or clear a user's MCP label.");
      if (!deps.mcpLabels) throw notFound('MCP is not served here.');
      if (method === 'GET') return { status: 200, body: { userId, label: labelView(await deps.mcpLabels.get(userId)) } };
      const cleared = await deps.mcpLabels.clear(userId);
      if (cleared)
        await deps.audit.put(buildLabelClearedRecord({ userId, clearedBy: identity.userId, label: cleared, at: (deps.now ?? Date.now)() }));
      return { status: 200, body: { userId, cleared: labelView(cleared) } };
    },
  })),

  {
    method: 'GET',
    pattern: /^\/budgets$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      // The caller's own windows: what each declared limit allows and what has been spent in it.
      if (!deps.spend) return { status: 200, body: { budgets: [] } };
      return { status: 200, body: { budgets: await deps.spend.guard.standing(spenderFor(request.identity, deps.spend.budgets)) } };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      const query = parseWith(listRunsSchema, request.query);
      const admin = identity.groups.includes(Role.ADMIN);
      if (!admin && query.user !== undefined && query.user !== identity.userId)
        throw forbidden("Only admins may list another user's runs.");
      // Everyone's for an admin who names nobody; else one user's (ByOwner).
      const owner = admin ? query.user : identity.userId;
      const cursor = query.nextToken === undefined ? undefined : decodeRunCursor(query.nextToken);
      // A listing of one owner continues in that owner's partition only.
      if (cursor?.key && owner !== undefined && cursor.key.owner?.S !== owner) throw badRequest('nextToken is not valid.');
      const { runs, cursor: next } = await deps.runs.list({
        ...(owner === undefined ? {} : { owner }),
        ...(query.status ? { status: query.status } : {}),
        ...(query.tool ? { tool: query.tool } : {}),
        limit: query.limit ?? 20,
        ...(cursor ? { cursor } : {}),
        now: new Date((deps.now ?? Date.now)()),
      });
      return {
        status: 200,
        body: {
          runs: runs.map((run) => ({
            runId: run.runId,
            status: run.status,
            userId: run.owner,
            startedAt: run.createdAt,
            updatedAt: run.updatedAt,
            iterations: run.iteration,
            // The request's start, to tell runs apart in a list (the whole input is in GET /runs/{id}'s owner view).
            input: run.input.slice(0, 120),
            calls: run.callCount ?? 0,
            tools: run.tools ?? [],
            usage: run.usage ?? null,
          })),
          ...(next ? { nextToken: Buffer.from(JSON.stringify(next)).toString('base64url') } : {}),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run, calls, messages } = await ownRun(request, runId, deps);
      // Once a run has ended its answer is final: the count waits for the execution's last state.
      const transitions = await deps.stateTransitions?.(run.runId, TERMINAL_STATUSES.has(run.status));
      // Durations are measured by the tool's own pipeline and kept in the audit trail (the last attempt counts).
      const durations = new Map((await deps.audit.listByRun(run.runId)).filter(reachedTool).map((r) => [r.callId, r.durationMs]));
      return {
        status: 200,
        body: {
          runId: run.runId,
          status: run.status,
          output: run.output ?? null,
          iterations: run.iteration,
          // Model tokens as the provider reported them; null when it reported none (the demo and scripted models).
          usage: run.usage ?? null,
          // Information flow: the call that brought untrusted content in; from then on sinks wait for approval.
          untrusted: run.untrusted ?? null,
          // What the run may spend (null: no caps) and what it has spent (usd null without a price table).
          budget: run.budget ?? null,
          spent: spentOf(run, deps.prices),
          // Whose budget stopped it (BUDGET_EXHAUSTED): the run's, the user's or the tenant's, named, and why.
          stoppedBy: run.stoppedBy ?? null,
          calls: calls.map((c) => ({
            callId: c.callId,
            tool: c.tool,
            iteration: c.iteration,
            status: c.status,
            code: c.code ?? null,
            durationMs: durations.get(c.callId) ?? null,
            // As the model sent them, from the stored turns: nothing cut, only secrets masked (the approver's view of them).
            arguments: argumentsShown(sentArguments(messages, c.modelCallId)),
          })),
          // What the model said and asked for on each turn (its text cut short; each call's arguments are with the call).
          turns: messages.flatMap((m) =>
            m.role === 'assistant'
              ? [{ text: (m.text ?? '').slice(0, 500), toolCalls: m.toolCalls.map((c) => String(c.name).slice(0, 64)) }]
              : [],
          ),
          ...(transitions === undefined ? {} : { stateTransitions: transitions }),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/audit$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      return { status: 200, body: { runId: run.runId, records: await deps.audit.listByRun(run.runId) } };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/audit\/verify$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      const ended = TERMINAL_STATUSES.has(run.status);
      const chain = await deps.audit.readChain(run.runId);
      // A run that ended was sealed after its last record: anything outside its chain is a break.
      const verdict = verifyChain(chain, { ended });
      // Its archived copy, where the deployment keeps one, catches a table rewritten consistently, seals and all.
      const archived = ended ? await deps.auditArchive?.get(run.runId) : undefined;
      // Its anchors, whatever its status: a tail cut, a run reopened or extended after its end, a seal rewritten while it waited.
      const anchors = (await deps.auditArchive?.anchors(run.runId)) ?? [];
      const mismatches = [...(archived ? compareWithArchive(chain, archived) : []), ...compareWithAnchors(chain, anchors, { ended })];
      const anchor = latestAnchor(anchors);
      return {
        status: 200,
        body: {
          runId: run.runId,
          status: run.status,
          ...verdict,
          intact: verdict.intact && mismatches.length === 0,
          breaks: [...verdict.breaks, ...mismatches],
          ...(deps.auditArchive
            ? {
                archived: archived ? { at: archived.archivedAt, head: archived.head } : null,
                // The anchor the verdict rests on: the last seal copied out of the writers' reach.
                anchored: anchor ? { seq: anchor.seq, at: anchor.anchoredAt, head: anchor.head, ended: anchor.ended === true } : null,
              }
            : {}),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/trace$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      // Deployed, spans go to X-Ray or a collector (`kept` false): the trace id finds the run there.
      const spans = deps.traces?.(run.runId) ?? [];
      return { status: 200, body: { runId: run.runId, traceId: runTraceIds(run.runId).traceId, kept: deps.traces !== undefined, spans } };
    },
  },

  {
    method: 'GET',
    pattern: /^\/runs\/([^/]+)\/path$/,
    authenticated: true,
    handler: async (request, [runId], deps) => {
      const { run } = await ownRun(request, runId, deps);
      // Deployed, the Step Functions console draws an execution's path; locally the system does.
      if (!deps.loopPath) throw notFound("This deployment does not keep runs' paths: see the execution in the Step Functions console.");
      return { status: 200, body: { runId: run.runId, ...(await deps.loopPath(run.runId, TERMINAL_STATUSES.has(run.status))) } };
    },
  },

  {
    method: 'POST',
    pattern: /^\/mcp$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      if (!deps.mcp) throw notFound('MCP is not enabled on this deployment.');
      return deps.mcp.handle(request);
    },
  },

  {
    method: 'GET',
    pattern: /^\/audit$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      if (!request.identity.groups.includes(Role.ADMIN)) throw forbidden('Only admins may search the audit trail.');
      const query = parseWith(auditSearchSchema, request.query);
      const now = (deps.now ?? Date.now)();
      const until = query.until === undefined ? new Date(now) : timeParam(query.until, now, 'until');
      const since = query.since === undefined ? new Date(until.getTime() - DAY_MS) : timeParam(query.since, now, 'since');
      if (since > until) throw badRequest('since must be before until.');
      if (until.getTime() - since.getTime() > MAX_USAGE_RANGE_DAYS * DAY_MS)
        throw badRequest(`The range may span at most ${MAX_USAGE_RANGE_DAYS} days.`);
      const limit = query.limit ?? 1000;
      const found = query.runId
        ? { records: (await deps.audit.listByRun(query.runId)).filter((r) => r.at >= since.toISOString() && r.at <= until.toISOString()) }
        : await deps.audit.listBetween(since, until);
      const matching = found.records.filter(
        (r) =>
          (!query.tool || r.tool === query.tool) &&
          (!query.user || r.userId === query.user) &&
          (!query.status || r.status === query.status),
      );
      const records = matching.slice(0, limit);
      const truncated = matching.length > limit || ('truncated' in found && found.truncated === true);
      const file = `audit-${since.toISOString().slice(0, 10)}-${until.toISOString().slice(0, 10)}`;
      if (query.format === 'csv' || query.format === 'jsonl')
        return {
          status: 200,
          rawBody: query.format === 'csv' ? auditCsv(records) : auditJsonLines(records),
          headers: {
            'content-type': query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
            'content-disposition': `attachment; filename="${file}.${query.format}"`,
            'x-truncated': String(truncated),
          },
        };
      return { status: 200, body: { since: since.toISOString(), until: until.toISOString(), truncated, records } };
    },
  },

  {
    method: 'GET',
    pattern: /^\/usage$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      if (!request.identity.groups.includes(Role.ADMIN)) throw forbidden('Only admins may see the usage report.');
      const now = (deps.now ?? Date.now)();
      const until = request.query.until === undefined ? new Date(now) : timeParam(request.query.until, now, 'until');
      const since =
        request.query.since === undefined ? new Date(until.getTime() - 7 * DAY_MS) : timeParam(request.query.since, now, 'since');
      if (since > until) throw badRequest('since must be before until.');
      if (until.getTime() - since.getTime() > MAX_USAGE_RANGE_DAYS * DAY_MS)
        throw badRequest(`The range may span at most ${MAX_USAGE_RANGE_DAYS} days.`);
      const { records, truncated } = await deps.audit.listBetween(since, until);
      return {
        status: 200,
        body: buildUsageReport(records, { tools: deps.registry.tools, since, until, truncated }),
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/approvals$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      if ((request.query.status ?? 'pending') !== 'pending') throw badRequest('Only status=pending can be listed.');
      // Each caller sees what they may decide: approvers all, the escalation group what has been escalated, anyone what was handed to them.
      const pending = (await deps.approvals.listPending()).filter((a) => mayDecideNow(deps, a, identity));
      if (pending.length === 0 && claimedAuthority(identity, APPROVER_GROUP, deps.escalation?.group) === 'delegate')
        throw forbidden(NOT_AN_APPROVER);
      return {
        status: 200,
        body: {
          approvals: await Promise.all(
            pending.map(async ({ approvalId, runId, callId, tool, summary, why, requestedBy, expiresAt, quorum, approvers, ...more }) => ({
              approvalId,
              runId,
              tool,
              arguments: summary,
              // Why it waits when not for being destructive: where untrusted content came into the run.
              ...(why ? { why } : {}),
              // What the call will do: the declared tool's risk class and whether its action can be undone.
              ...effectOf(deps.registry, tool),
              // With a quorum: who has approved so far, of how many needed.
              ...((quorum ?? 1) > 1 ? { quorum, approvedBy: approvers ?? [] } : {}),
              requestedBy,
              expiresAt,
              // Escalated: offered to the escalation group too (since `escalateAt`); handed to a colleague: who, by whom.
              ...(more.escalateAt === undefined ? {} : { escalateAt: more.escalateAt, escalated: more.escalateAt <= secondsNow(deps) }),
              ...(more.delegatedTo ? { delegatedTo: more.delegatedTo, delegatedBy: more.delegatedBy } : {}),
              context: await approvalContext(deps, runId, callId),
              // `arguments` is the short form: where it leaves something out, a yes needs the full view opened first.
              ...(more.shortened ? { shortened: true } : {}),
              fullView: `/approvals/${approvalId}`,
              destinations: more.shown === undefined ? [] : describeShown(JSON.parse(more.shown)).destinations,
            })),
          ),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/approvals\/([^/]+)$/,
    authenticated: true,
    handler: async (request, [approvalId], deps) => {
      // The full view of one approval: every argument as it will run, nothing cut, secrets masked and listed.
      const { identity } = request;
      if (!isApprovalId(approvalId)) throw notFound('No such approval.');
      const record = await deps.approvals.get(approvalId);
      if (!record) throw notFound('No such approval.');
      if (!mayDecideNow(deps, record, identity)) throw forbidden(NOT_AN_APPROVER);
      // Opening it is what lets this person's yes count on a call whose short form leaves something out.
      if (record.status === ApprovalStatus.PENDING) await deps.approvals.markViewed(approvalId, identity.userId);
      const shown: unknown = record.shown === undefined ? null : JSON.parse(record.shown);
      return {
        status: 200,
        body: {
          approvalId,
          status: record.status,
          runId: record.runId,
          callId: record.callId,
          tool: record.tool,
          requestedBy: record.requestedBy,
          expiresAt: record.expiresAt,
          ...(record.why ? { why: record.why } : {}),
          ...effectOf(deps.registry, record.tool),
          ...((record.quorum ?? 1) > 1 ? { quorum: record.quorum, approvedBy: record.approvers ?? [] } : {}),
          // Bound to what runs: the approval's hash is of the object these arguments were made from.
          argsHash: record.argsHash,
          arguments: shown,
          ...describeShown(shown),
          shortened: record.shortened === true,
          ...(record.edited ? { edited: { by: record.edited.by, from: record.edited.originalSummary } } : {}),
        },
      };
    },
  },

  {
    method: 'POST',
    pattern: /^\/approvals\/([^/]+)\/delegate$/,
    authenticated: true,
    handler: async (request, [approvalId], deps) => {
      // Hand an approval to a named colleague, who may then decide it; audited as a record of its own.
      const from = request.identity;
      if (!isApprovalId(approvalId)) throw notFound('No such approval.');
      const body = parseWith(delegateApprovalSchema, parseJson(request.body));
      if (body.to === from.userId) throw badRequest('Name a colleague: an approval cannot be handed to yourself.');
      const current = await deps.approvals.get(approvalId);
      if (current && current.requestedBy === body.to && mayDecideNow(deps, current, from))
        throw badRequest('Nobody decides a call of their own run: name a colleague other than the requester.');
      const record = await refusalsAudited(deps, approvalId, from, 'delegate', () => deps.approvals.delegate(approvalId, from, body.to));
      await deps.audit.put(
        buildDecisionRecord({
          approvalId,
          runId: record.runId,
          callId: record.callId,
          tool: record.tool,
          decider: from.userId,
          decision: 'delegate',
          delegatedTo: body.to,
          summary: record.summary,
          at: secondsNow(deps) * 1000,
          ...(body.reason ? { reason: redactString(body.reason) } : {}),
          ...withDeclaration(deps.registry, record.tool),
        }),
      );
      return { status: 200, body: { approvalId, status: record.status, delegatedTo: body.to, delegatedBy: from.userId } };
    },
  },

  {
    method: 'POST',
    pattern: /^\/approvals\/([^/]+)$/,
    authenticated: true,
    handler: async (request, [approvalId], deps) => {
      const decider = request.identity;
      if (!isApprovalId(approvalId)) throw notFound('No such approval.');
      const body = parseWith(decideApprovalSchema, parseJson(request.body));
      const record = await decide(deps, approvalId, body.decision, decider, body.reason, body.arguments);
      return {
        status: 200,
        body: {
          approvalId,
          status: record.status,
          decidedBy: decider.userId,
          // With a quorum: how many have approved, of how many needed.
          ...((record.quorum ?? 1) > 1 ? { approvals: record.approvers?.length ?? 0, quorum: record.quorum } : {}),
        },
      };
    },
  },

  {
    method: 'POST',
    pattern: /^\/slack\/interactions$/,
    authenticated: false,
    handler: async (request, _params, deps) => {
      if (!deps.slack) throw notFound();
      const verdict = verifySlackSignature(
        { body: request.body, timestamp: request.headers['x-slack-request-timestamp'], signature: request.headers['x-slack-signature'] },
        deps.slack.signingSecret,
        secondsNow(deps),
      );
      if (!verdict.valid) throw unauthorized();
      const payload = parseJson(new URLSearchParams(request.body).get('payload') ?? '') as {
        user?: { id?: unknown };
        actions?: Array<{ action_id?: unknown; value?: unknown }>;
      };
      const slackUser = typeof payload.user?.id === 'string' ? payload.user.id : '';
      const decider = slackUser ? await deps.slack.resolveDecider(slackUser) : undefined;
      // Who may decide is the store's to say (approvers; the escalation group once escalated; a delegate).
      if (!decider) throw forbidden('This Slack user is not an approver.');
      const action = payload.actions?.[0];
      const decision = action?.action_id === 'approve' || action?.action_id === 'deny' ? action.action_id : undefined;
      const approvalId = typeof action?.value === 'string' ? action.value : undefined;
      if (!decision || !isApprovalId(approvalId)) throw badRequest('Unknown action.');
      const record = await decide(deps, approvalId, decision, decider);
      // A vote short of the quorum leaves the message (and its buttons) for the next approver.
      if (record.status === ApprovalStatus.PENDING)
        return {
          status: 200,
          body: {
            replace_original: false,
            response_type: 'ephemeral',
            text: `Your approval is counted (${record.approvers?.length ?? 0} of ${record.quorum ?? 1}); it waits for another approver.`,
          },
        };
      return {
        status: 200,
        body: { replace_original: true, text: `${decision === 'approve' ? 'Approved' : 'Denied'} by <@${slackUser}>.` },
      };
    },
  },
];
