import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { approvalGate } from '../approval/middleware.ts';
import type { ApprovalReader } from '../approval/index.ts';
import { buildRecoveredAttemptRecord, DynamoDbAuditStore } from '../audit/index.ts';
import { auditTrail } from '../audit/middleware.ts';
import { circuitBreaker } from '../breaker/middleware.ts';
import { DynamoDbBreakerStore } from '../breaker/index.ts';
import { idempotency } from '../idempotency/middleware.ts';
import { DynamoDbIdempotencyStore } from '../idempotency/index.ts';
import { DynamoDbBucketStore } from '../rate-limit/index.ts';
import { rateLimit } from '../rate-limit/middleware.ts';
import { redactString } from '../redaction/index.ts';
import { traceToolCall } from '../tracing/index.ts';
import { type ToolDefinition, type ToolInputSchema, type ToolInvocation, RiskClass } from '../tool/index.ts';
import type { ToolResult } from '../tool-result/index.ts';
import { admission, guardHooks } from './admission.ts';
import { correlationIds } from './correlation-ids.ts';
import { withDeadline } from './deadline.ts';
import { requireFlow, requireRole } from './require-role.ts';
import type { PipelinePolicies } from './pipeline-policies.ts';
import { requirePolicies } from './require-policies.ts';
import { mayAskApproval } from '../policies/index.ts';
import { FlowMode, judgeFlow } from '../guards/index.ts';
import { toolMetrics } from './tool-metrics.ts';
import { toolResult } from './tool-result.ts';
import { validateCall } from './validate-call.ts';

/**
 * The tables the guard pipeline writes to: buckets and breakers, idempotency, audit, and
 * approvals.
 */
export interface GuardTables {
  /** Rate-limit buckets and breaker state. */
  readonly guard: string;
  readonly idempotency: string;
  readonly audit: string;
}

/**
 * What `createGuardedHandler` wraps a tool's handler with: the tool, its dependencies, the guard
 * tables, and the optional policies, logger and metrics.
 */
export interface GuardedHandlerOptions<Deps> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly tool: ToolDefinition<ToolInputSchema, Deps, any>;
  /** What the tool's handler gets as `context.deps` (its own stores and clients). */
  readonly deps: Deps;
  /** The DynamoDB client for the guard tables (the embedded one in tests and local mode). */
  readonly client: DynamoDBClient;
  readonly tables: GuardTables;
  /** Required for destructive tools, which check their approval again (passed in so other tools do not bundle it). */
  readonly approvals?: ApprovalReader;
  /** GuardedAgent's `approvalEscalation.group`: decisions by its members count once an approval is escalated. @default none */
  readonly escalationGroup?: string;
  /** @default a Powertools Logger for service `guarded-agents` */
  readonly logger?: Logger;
  /** @default Powertools Metrics in namespace `GuardedAgents` (env `POWERTOOLS_METRICS_NAMESPACE` wins) */
  readonly metrics?: Metrics;
  /** @default Date.now */
  readonly now?: () => number;
  /** Kept back from the Lambda's remaining time for what runs after the handler. @default 1000 */
  readonly reserveMs?: number;
  /** The version of the tool's declaration (`declarationVersion`), named in its audit records; computed at synth for deployed tools. */
  readonly declaration?: string;
  /** The deployment's information-flow mode, for a sink's own check of the run's label. @default 'approve' */
  readonly informationFlow?: FlowMode;
  /** The deployment's policies: the set's hash, and the ones that apply to this tool. @default no policies */
  readonly policies?: PipelinePolicies;
}

/** A tool's handler behind every guard: the Lambda handler its function exports. */
export type GuardedHandler = (event: unknown, context: Context) => Promise<ToolResult>;

/**
 * Wraps a tool's handler in the guard pipeline. Two middy layers, because middy skips every
 * outer `after` when a middleware returns early (as an idempotent replay does):
 *
 * the attempt layer, which sees every outcome of every attempt:
 *   1. Logger   - Lambda context and correlation ids on every line; arguments only redacted.
 *   2. Metrics  - EMF flushed even on failure, because it wraps everything else.
 *   3. Result   - every outcome, value or error, becomes the structured result.
 *   4. Audit    - exactly one record per attempt, inside Result so it sees the raw outcome; the
 *                 result stored for replay is written in the same round trip.
 * the guard layer, cheapest and most decisive checks first, each failing closed:
 *   5. Validation - envelope, exact tool name, size caps, strict schema: no DynamoDB cost for junk.
 *   6. Role       - defence in depth behind the loop's screening; then the information-flow label,
 *                   and the deployment's policies (Cedar) where it has any: a forbid refuses, an
 *                   approval they ask for is required by the approval gate below.
 *   7. Admission  - one round trip for the guards below: their requests go out together, then
 *                   each decides in this order, and a refusal gives back what the others took.
 *      a. Approval    - destructive tools, sinks in a labelled run, and calls a policy asks approval
 *                       for: a decided approval bound to this exact call, with its quorum.
 *      b. Idempotency - a replay neither spends tokens nor runs twice.
 *      c. Rate limits - user x tool and tool buckets (the tool's write also returns the breaker).
 *      d. Breaker     - after the limits, so a throttled call never counts as a probe.
 *   8. Deadline  - the handler under its own timeout, shorter than the Lambda's.
 *
 * Round trips to DynamoDB per call, for every risk class: admission, the handler's own, then the
 * audit record with the stored result. The rare paths add theirs (a breaker probe, a refund, a
 * release, a contended bucket).
 *
 * @example
 * export const handler = createGuardedHandler({ tool: lookupOrder, deps: { orders }, client: new DynamoDBClient({}), tables: { guard: 'GuardState', idempotency: 'Idempotency', audit: 'Audit' } });
 */
export const createGuardedHandler = <Deps>(options: GuardedHandlerOptions<Deps>): GuardedHandler => {
  const { tool, deps, client, tables, now = Date.now, reserveMs = 1000 } = options;
  const flowMode = options.informationFlow ?? FlowMode.APPROVE;
  const sink = tool.reaches === 'external';
  // A policy may ask a person to approve this tool's calls: the tool then checks that approval too.
  const policyApprovals = options.policies?.set ? mayAskApproval(options.policies.set, tool.name) : false;
  if (policyApprovals && !options.approvals)
    throw new TypeError(
      `Tool ${tool.name} is named by a policy that asks for approval: pass approvals (a DynamoDbApprovalReader) so it can verify one`,
    );
  if (sink && tool.risk !== RiskClass.DESTRUCTIVE && !options.approvals)
    throw new TypeError(`Tool ${tool.name} is a sink (reaches: external): pass approvals (a DynamoDbApprovalReader) so it can verify one`);
  if (tool.risk === RiskClass.DESTRUCTIVE && !options.approvals) {
    throw new TypeError(`Tool ${tool.name} is destructive: pass approvals (a DynamoDbApprovalReader) so the tool can verify its approval`);
  }
  const logger = options.logger ?? new Logger({ serviceName: 'guarded-agents' });
  const metrics = options.metrics ?? new Metrics({ namespace: 'GuardedAgents', serviceName: 'guarded-agents' });
  metrics.setDefaultDimensions({ tool: tool.name });
  const policies = options.policies
    ? requirePolicies(tool, options.policies, now, (decision) => {
        // What shadow policies would have decided, counted per policy: a rule tried before it is enforced.
        for (const shadow of decision.shadow) {
          const metric = metrics.singleMetric();
          metric.addDimension('policy', shadow.id);
          metric.addDimension('effect', shadow.effect);
          metric.addMetric('PolicyShadowMatches', MetricUnit.Count, 1);
        }
      })
    : undefined;
  const logStoreError = (what: string) => (error: unknown) =>
    logger.error(what, {
      errorName: error instanceof Error ? error.name : 'Error',
      errorMessage: redactString(error instanceof Error ? error.message : String(error)),
    });
  const onTransition = (to: string) => {
    const metric = metrics.singleMetric();
    metric.addDimension('state', to);
    metric.addMetric('BreakerTransitions', MetricUnit.Count, 1);
    logger.warn('breaker transition', { state: to });
  };

  /** The approval a policy asks of this call, with its quorum (its decision is made before the gate runs). */
  const policyAsks = (invocation: ToolInvocation) => {
    const decision = policies?.decisionOf(invocation);
    return decision?.effect === 'approval' ? decision : undefined;
  };

  const auditStore = new DynamoDbAuditStore({ client, tableName: tables.audit });
  const admitted = [
    ...(options.approvals && (tool.risk === RiskClass.DESTRUCTIVE || sink || policyApprovals)
      ? [
          approvalGate({
            store: options.approvals,
            tool: tool.name,
            // The tool's quorum, or more where a deciding policy asks more.
            quorum: (invocation) => Math.max(tool.quorum ?? 1, policyAsks(invocation)?.quorum ?? 1),
            ...(options.escalationGroup ? { escalationGroup: options.escalationGroup } : {}),
            // A sink that is not destructive needs one only in a run that carries untrusted content; any tool, where a policy asks.
            ...(tool.risk === RiskClass.DESTRUCTIVE
              ? {}
              : {
                  required: (invocation) =>
                    policyAsks(invocation) !== undefined ||
                    (sink &&
                      judgeFlow(tool, invocation.untrusted, flowMode, { arguments: invocation.arguments, vouchedBy: invocation.vouchedBy })
                        .verdict === 'approve'),
                }),
          }),
        ]
      : []),
    idempotency({
      store: new DynamoDbIdempotencyStore({ client, tableName: tables.idempotency, now }),
      tool: tool.name,
      lockMs: tool.timeoutMs + reserveMs + 5000,
      now,
      onStoreError: logStoreError('idempotency release failed'),
      // An earlier attempt that died before its own audit record gets it now, under its own key.
      onPreviousAttempt: async ({ outcome, endedAt, result, ...attempt }, invocation) => {
        const record = buildRecoveredAttemptRecord({
          runId: invocation.runId,
          callId: invocation.callId,
          tool: tool.name,
          userId: invocation.caller.userId,
          arguments: invocation.arguments,
          approvalId: invocation.approvalId,
          attempt,
          outcome,
          ...(endedAt === undefined ? {} : { endedAt }),
          result,
          ...(options.declaration === undefined ? {} : { declaration: options.declaration }),
        });
        if (await auditStore.putIfAbsent(record)) logger.warn('recorded an earlier attempt that left no audit record', { audit: record });
      },
      // Stored beside the audit record, in its round trip (the attempt layer awaits both).
      deferCompletion: true,
    }),
    rateLimit({ store: new DynamoDbBucketStore({ client, tableName: tables.guard, now }), tool: tool.name, limits: tool.limits }),
    circuitBreaker({
      store: new DynamoDbBreakerStore({ client, tableName: tables.guard, now }),
      tool: tool.name,
      settings: tool.breaker,
      probeTimeoutMs: 2 * tool.timeoutMs + reserveMs,
      now,
      onTransition,
      onStoreError: logStoreError('breaker update failed'),
    }),
  ];
  const checks = middy<ToolInvocation, unknown, Error, Context>()
    .use(validateCall(tool))
    .use(requireRole(tool))
    .use(requireFlow(tool, flowMode));
  // The policies, where the deployment has any: after the label, before the admission step (whose approval gate reads their decision).
  if (policies) checks.use(policies.middleware);
  const guards = checks
    .use(admission(admitted, { onUndoError: logStoreError('giving back what a refused call took failed') }))
    .use(guardHooks(admitted))
    .handler(withDeadline(tool, deps, { reserveMs }));

  const attempt = middy<unknown, unknown, Error, Context>()
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(correlationIds(logger, tool.name))
    .use(
      toolResult({
        onFailure: (error, failure) => {
          const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
          logger.warn('tool call refused or failed', {
            code: failure.code,
            ...(cause ? { causeName: cause.name, causeMessage: redactString(cause.message) } : {}),
          });
        },
      }),
    )
    .use(toolMetrics(metrics, now))
    .use(
      auditTrail({
        store: auditStore,
        tool: tool.name,
        ...(options.declaration === undefined ? {} : { declaration: options.declaration }),
        now,
        onRecord: (record) => logger.info('tool call', { audit: record }),
        onStoreError: logStoreError('audit write failed'),
      }),
    )
    .handler((event: unknown, context: Context) => guards(event as ToolInvocation, context));

  // The whole attempt is the call's `execute_tool` span in its run's trace; the guards' spans nest beneath.
  const traced: GuardedHandler = (event, context) =>
    traceToolCall(tool, event, () => (attempt as unknown as GuardedHandler)(event, context));
  return traced;
};
