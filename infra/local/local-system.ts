import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { GuardedHandler } from '../../shared/pipeline/index.ts';
import { compilePolicies } from '../../shared/policies/index.ts';
import { createToolRegistry } from '../../shared/tool/index.ts';
import type { ToolResult } from '../../shared/tool-result/index.ts';
import { createBucket } from './embedded-aws.ts';
import { LOCAL_AUDIT_ARCHIVE_BUCKET } from './iam/function-policies.ts';
import { synthesizeLocalApp } from './local-app.ts';
import { startLocalTracing } from './local-tracing.ts';
import { frontDoor } from './system/api-deps.ts';
import { dashboardFigures } from './system/dashboard-figures.ts';
import { createTables, embeddedServices, startDataServices } from './system/data-services.ts';
import { stateMachineOf } from './system/executions.ts';
import { functionRoles } from './system/function-roles.ts';
import type { LocalSystemOptions } from './system/options.ts';
import { startOrchestration } from './system/orchestration.ts';
import { startDecisionSweep } from './system/decision-sweep.ts';
import { resumeUnfinished } from './system/resume-runs.ts';
import { startToolFunctions, type ToolFunctions } from './system/tool-functions.ts';

export type { LocalExecution, LocalModelRun, LocalSystemOptions } from './system/options.ts';

/**
 * The whole system on one machine: dynalite for DynamoDB, the tool handlers in-process behind the
 * same pipeline, and the very state machine CDK synthesizes, run by aws-local-stepfunctions.
 * Task tokens stay inside this process, as they stay inside AWS when deployed. Built in named
 * steps (`infra/local/system/`), each on what the ones before it made.
 *
 * @example
 * const system = await startLocalSystem({ app: { agent: (app) => new MyStack(app, 'Test').agent } });
 * await system.callTool({ tool: 'lookup_note', arguments: { noteId: 'N-1234' }, caller: { userId: 'uma', groups: ['user'] } });
 * await system.stop();
 */
export const startLocalSystem = async (options: LocalSystemOptions) => {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // Before any client is made: its DynamoDB spans need the provider this registers.
  const tracing = startLocalTracing();
  // 1. The embedded data services; meanwhile, the app's stack as `cdk synth` builds it: its tools, tables, policies and state machine.
  const data = await startDataServices(options);
  const synthesized = synthesizeLocalApp(options.app);
  const { agent } = synthesized;
  const stores = await createTables(data, agent, options.app);
  const { aws } = stores;
  // The audit archive's bucket, as CloudFormation would create it.
  if (agent.auditArchive) await createBucket(aws.s3, LOCAL_AUDIT_ARCHIVE_BUCKET);
  // 2. Each function's environment and role. 3. The tools. 4. The loop's functions. 5. The state machine.
  const roles = functionRoles(synthesized, stores.names, data, aws, options.instrumentDynamoDb);
  const registry = createToolRegistry(agent.tools);
  const toolFunctions = await startToolFunctions(agent, roles, stores, options.fetch ?? globalThis.fetch);
  // The app's policies (GuardedAgent's `policies`, validated at synth): the same files as deployed.
  const policies = agent.policies ? await compilePolicies(agent.policies.sources, agent.tools) : undefined;
  const orchestration = await startOrchestration(roles, stores, registry, data.client, { ...options, policies });
  const machine = stateMachineOf(synthesized, invocations(orchestration, toolFunctions, options.instrumentInvoke), options.retryPauseMs);
  // 6. The front door. 7. What a crash or a stop left unfinished, resumed. 8. The API's sweep of decisions it could not deliver.
  const front = frontDoor({ roles, stores, registry, synthesized, orchestration, machine, toolFunctions, tracing, policies }, options);
  const resumed = await resumeUnfinished(data.client, stores, machine.startExecution);
  const decisionSweep = startDecisionSweep(front.deps, options, orchestration.events);
  return {
    /** Runs that were unfinished at start and have been resumed. */
    resumed,
    deps: front.deps,
    client: data.client,
    /** Every table's local name, by table id, and the engine's endpoint. */
    tableNames: stores.names,
    dynamoDbEndpoint: data.endpoint,
    tables: stores.tables,
    ...embeddedServices(aws),
    // Typed here: the declarations name the pipeline's surface, never the middlewares' (middy's types stay out of ./local).
    tools: toolFunctions.tools as Record<string, GuardedHandler>,
    runs: front.runs,
    /** Approvals through the API's role: decided, listed, read. */
    approvals: front.approvals,
    /** Approvals through RequestApproval's role: recorded as the loop asks for one (tests record one this way). */
    approvalRequests: orchestration.approvalRequests,
    definition: synthesized.definition,
    /** The app's policies (GuardedAgent's \`policies\`): their files and the set's hash. */
    agentPolicies: agent.policies,
    events: orchestration.events,
    executions: machine.executions,
    /** Step Functions' RedriveExecution: a run's failed execution continues from the state it failed in. */
    redriveExecution: machine.redriveExecution,
    ...dashboardFigures(data.client, stores, registry, front.breakers),
    /** DynamoDB requests each function (tool name, CallModel, Api, RequestApproval) has sent since the start. */
    requestCounts: roles.requestCounts,
    /** The local IAM: each function's policies, what it was allowed and what was denied. */
    iam: roles.iam,
    /** Calls one tool as the loop invokes its Lambda: every guard, the audit, the tool's own dependencies. */
    callTool: callToolOf(toolFunctions),
    /** The loop's model step, as the state machine invokes it (soak and tests). */
    callModel: orchestration.callModel,
    /** A run's trace so far (its spans, oldest first): what the console's waterfall draws. */
    traceOf: tracing.spansOfRun,
    /** The spans of an MCP session's calls, each call a trace of its own (`mcp-<session>`). */
    conversationSpans: tracing.spansOfConversation,
    /** Sends the spans an OTLP exporter still holds. */
    flushTraces: tracing.flush,
    /** Approvals an execution is waiting on right now. */
    waitingApprovals: () => [...orchestration.waiting.keys()],
    /**
     * Stops without deciding anything: executions are abandoned where they are (a pending approval
     * stays pending, a run stays unfinished) and, with DATA_DIR, resume at the next start.
     */
    stop: async () => {
      for (const part of [decisionSweep, orchestration, machine]) await part.stop();
      await data.inFlight.settled();
      await tracing.flush().catch(() => undefined);
      roles.destroy();
      await data.stopEngine();
      await aws.stop();
    },
  };
};

/**
 * A running local system (`startLocalSystem`): its API's dependencies, the embedded services, the
 * state machine's executions, and `stop()`.
 */
export type LocalSystem = Awaited<ReturnType<typeof startLocalSystem>>;

/** The state machine's tasks: the loop's functions and the tools', each invocation wrapped where the options say (fault injection). */
const invocations = (
  orchestration: Awaited<ReturnType<typeof startOrchestration>>,
  toolFunctions: ToolFunctions,
  instrument: LocalSystemOptions['instrumentInvoke'],
) =>
  instrument
    ? {
        ...orchestration,
        callModel: (input: never) => instrument('CallModel', () => orchestration.callModel(input)),
        invokeTool: (input: { FunctionName: string; Payload: unknown }) =>
          instrument(input.FunctionName, () => toolFunctions.invokeTool(input)),
      }
    : { ...orchestration, invokeTool: toolFunctions.invokeTool };

/**
 * Calls one tool as the loop invokes its Lambda: every guard, the audit, the tool's own
 * dependencies on the embedded services (a team's tests of its tools). A fresh run and call id
 * unless given (the same pair again is an idempotent replay).
 */
const callToolOf =
  ({ invokeTool }: Pick<ToolFunctions, 'invokeTool'>) =>
  async (call: {
    readonly tool: string;
    readonly arguments: unknown;
    readonly caller: { readonly userId: string; readonly groups: readonly string[] };
    readonly runId?: string;
    readonly callId?: string;
  }): Promise<ToolResult> =>
    (
      await invokeTool({
        FunctionName: call.tool,
        Payload: {
          runId: call.runId ?? `run-${randomUUID()}`,
          callId: call.callId ?? `call-${randomUUID()}`,
          tool: call.tool,
          caller: call.caller,
          arguments: call.arguments,
        },
      })
    ).Payload as ToolResult;
