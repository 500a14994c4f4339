import { DynamoDbMcpLabelStore, mcpLabelsFrom } from '../../functions/api/mcp/mcp-label-store.ts';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import dynalite from 'dynalite';
import { approvalIdOf, DynamoDbApprovalReader, DynamoDbApprovalStore } from '../../shared/approval/index.ts';
import { DynamoDbAuditStore, S3AuditArchive } from '../../shared/audit/index.ts';
import { createDynamoDbClient } from '../../shared/aws/index.ts';
import { DynamoDbBreakerStore } from '../../shared/breaker/index.ts';
import { type ModelProvider, ScriptedModel } from '../../shared/model/index.ts';
import { createGuardedHandler, type GuardedHandler } from '../../shared/pipeline/index.ts';
import { DynamoDbBucketStore } from '../../shared/rate-limit/index.ts';
import { DynamoDbRunStore, type RunListCursor, type RunRecord } from '../../shared/runs/index.ts';
import { createEmbeddedTables, guardTableSpecs, orchestrationTableSpecs } from '../../shared/tables/index.ts';
import { type BucketLimit, createToolRegistry, declarationVersion } from '../../shared/tool/index.ts';
import type { ApiDeps } from '../../functions/api/routes.ts';
import { modelFromEnv } from '../../functions/commons/model-from-env.ts';
import { createCallModel } from '../../functions/orchestration/call-model/call-model.ts';
import { callModelStores } from '../../functions/orchestration/call-model/stores.ts';
import { DynamoDbIdempotencyStore, idempotencyKey } from '../../shared/idempotency/index.ts';
import { SYSTEM_PROMPT } from '../../functions/orchestration/call-model/system-prompt.ts';
import {
  createEscalationSweep,
  createRequestApproval,
  type RequestApprovalEvent,
} from '../../functions/orchestration/request-approval/request-approval.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import type { ToolResult } from '../../shared/tool-result/index.ts';
import { s3Requests, sesRequests, secretsRequests } from './iam/aws-requests.ts';
import {
  functionEnvironments,
  functionPolicies,
  LOCAL_AUDIT_ARCHIVE_BUCKET,
  LOCAL_STATE_MACHINE_ARN,
  localFunctionArn,
} from './iam/function-policies.ts';
import { createLocalIam } from './iam/local-iam.ts';
import { giveItemOnConditionFailure } from './condition-failure-item.ts';
import { LoopTask } from '../guarded-agent/agent-loop.ts';
import { OrchestrationFunction } from '../guarded-agent/orchestration-functions.ts';
import { synthesizeLocalApp, type LocalApp } from './local-app.ts';
import { DemoModel } from './demo-model.ts';
import { createBucket, embeddedClientConfig, startEmbeddedAws } from './embedded-aws.ts';
import { FunctionEnv } from '../../functions/commons/function-env.ts';
import { flowModeFrom } from '../../functions/commons/flow-mode.ts';
import { approvalEscalationFrom, escalationGroupOf, escalationOf } from '../../functions/commons/approval-escalation-env.ts';
import { toolEscalationGroup } from '../../functions/commons/escalation-group-env.ts';
import { budgetSettings, spendSettings } from '../../functions/commons/budget-env.ts';
import { trackInFlight } from './in-flight.ts';
import { startLocalTracing } from './local-tracing.ts';
import { loopPath } from './loop-path.ts';
import { METRIC_RANGES, metricSeries, type MetricRange, type MetricSeries } from './local-metrics.ts';
import { envOf, toolDepsFrom } from './tool-deps-loader.ts';
import { toolCounters } from './local-stats.ts';
import type { LocalUser } from './local-users.ts';

export interface LocalSystemOptions {
  /** The app to run: the stack holding its GuardedAgent, and its seed. */
  readonly app: LocalApp;
  /** Keep DynamoDB and S3 (the documents) in this folder, so they survive a restart. @default in memory (S3 in a temporary folder) */
  readonly dataDir?: string;
  /** How long an approval waits. @default 10 minutes */
  readonly approvalTimeoutMs?: number;
  /** How often escalation runs, where the app declares `approvalEscalation` (deployed: every minute). @default 1 second */
  readonly escalationSweepMs?: number;
  /** Stands in for the internet in fetch_url (and remote MCP servers' tools). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /**
   * Secrets Manager's secrets on this machine, by name (e.g. a remote MCP server's credentials,
   * `{ "docs-mcp": '{"bearerToken":"..."}' }`). Functions read them through the SDK client, checked
   * against their roles. @default none
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /** Users whose approver identities Slack may act as (Slack user id `U` + upper-case user id). */
  readonly users?: readonly LocalUser[];
  /** Signs local Slack callbacks. @default LOCAL_SLACK_SIGNING_SECRET or 'local-slack-signing-secret' */
  readonly slackSigningSecret?: string;
  /** Per-user limit on starting runs. @default the API's (5 in a burst, 10 a minute) */
  readonly runLimit?: BucketLimit;
  /**
   * Another DynamoDB engine instead of the in-process dynalite, e.g. DynamoDB Local (CI runs the
   * end-to-end suites on it: it has transactions, dynalite has not). Tables get a prefix of their
   * own: the same one for the same `dataDir` (so data survives a restart), else a fresh one.
   * @default DYNAMODB_ENDPOINT, else dynalite
   */
  readonly dynamoDbEndpoint?: string;
  /**
   * The model each run talks to, chosen per run (a benchmark's scripted agents, a team's own
   * provider in its tests). A run started with a scripted `model` in its request still plays that.
   * @default the configured provider (MODEL_PROVIDER, as deployed), else the demo model
   */
  readonly model?: (run: LocalModelRun) => ModelProvider | undefined;
}

/** What `LocalSystemOptions.model` is told of a run: whose it is and what was asked. */
export interface LocalModelRun {
  readonly runId: string;
  readonly userId: string;
  readonly input: string;
}

export interface LocalExecution {
  /** States entered, in order: what a Standard workflow bills. */
  readonly states: string[];
  largestStateBytes: number;
  finished: Promise<void>;
}

const TOKEN_PREFIX = 'local-task-token:';

/** A task state's JSON, as aws-local-stepfunctions hands it over and takes it back. */
type Overrides = NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>;
type Json = Parameters<NonNullable<Overrides['taskResourceLocalHandlers']>[string]>[0];

/**
 * A loop function as a local task handler. The state machine hands each task the JSON its
 * Parameters build, which is the function's event as the synthesized definition shapes it (the
 * same JSON the deployed Lambda gets): this is the one place that says so, as Lambda's runtime does.
 */
const localTask =
  <Input, Output>(fn: (input: Input) => Promise<Output>) =>
  async (input: Json): Promise<Json> =>
    (await fn(input as Input)) as Json;

/**
 * The whole system on one machine: dynalite for DynamoDB, the tool handlers in-process behind the
 * same pipeline, and the very state machine CDK synthesizes, run by aws-local-stepfunctions.
 * Task tokens stay inside this process, as they stay inside AWS when deployed.
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
  const external = options.dynamoDbEndpoint ?? process.env.DYNAMODB_ENDPOINT;
  // DynamoDB's answer to a failed condition, which dynalite lacks (condition-failure-item.ts).
  if (!external) giveItemOnConditionFailure();
  const server = external
    ? undefined
    : dynalite({
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
      });
  if (server) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = external ?? `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
  const clientConfig = embeddedClientConfig(endpoint);
  // The platform's own client (creating and seeding tables, as CloudFormation and a seed job would;
  // the console's counters, as CloudWatch would): not a function, so not checked against a role.
  const client = createDynamoDbClient(clientConfig);
  const inFlight = trackInFlight(client);
  const prefix = !external
    ? 'local-'
    : `local-${createHash('sha256')
        .update(options.dataDir ? resolve(options.dataDir) : randomUUID())
        .digest('hex')
        .slice(0, 10)}-`;

  // S3 and SES on this machine: the document tools and send_email run their deployed code against
  // them. Started now, they come up while the tables are made and the stack is synthesized.
  const starting = startEmbeddedAws({
    ...(options.dataDir ? { s3Directory: join(options.dataDir, 's3') } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  starting.catch(() => undefined); // Awaited below; a failure meanwhile is not an unhandled rejection.
  // The app's stack as `cdk synth` builds it: its tools, tables, policies and state machine.
  const synthesized = synthesizeLocalApp(options.app);
  const { agent } = synthesized;
  const names = await createEmbeddedTables(
    client,
    [...Object.values(guardTableSpecs), ...agent.dataTableSpecs, ...Object.values(orchestrationTableSpecs)],
    prefix,
  );
  const table = (id: string) => names[id] as string;
  const tables = {
    guard: table(guardTableSpecs.guard.id),
    idempotency: table(guardTableSpecs.idempotency.id),
    audit: table(guardTableSpecs.audit.id),
    approvals: table(guardTableSpecs.approvals.id),
  };
  const runsTable = table(orchestrationTableSpecs.runs.id);
  const aws = await starting;
  await options.app.seed?.({
    dynamoDb: client,
    tableNames: names,
    ...(agent.documents ? { documents: { s3: aws.s3, bucket: aws.documents.bucket, isNew: aws.documents.isNew } } : {}),
  });

  // Each function's calls are checked against the role CDK synthesized for it, as on AWS.
  const declared = agent.tools;
  const registry = createToolRegistry(declared);
  const iam = createLocalIam(functionPolicies(synthesized.template, synthesized.stack, agent, names));
  /** A DynamoDB client that acts as one function: every command is authorized against its role first. */
  const functionClients: DynamoDBClient[] = [];
  /** DynamoDB requests each function has sent since the start (the benchmark's loop figures). */
  const requestCounts = new Map<string, number>();
  const clientOf = (functionName: string) => {
    const functionClient = inFlight.track(iam.guardClient(createDynamoDbClient(clientConfig), functionName));
    functionClient.middlewareStack.add(
      (next) => (args) => (requestCounts.set(functionName, (requestCounts.get(functionName) ?? 0) + 1), next(args)),
      { step: 'initialize', name: 'localRequestCount' },
    );
    functionClients.push(functionClient);
    return functionClient;
  };

  /** Each tool's S3 and SES clients, authorized against its role like its DynamoDB client. */
  const serviceClientsOf = (functionName: string) => ({
    s3: iam.guardClient(aws.newS3Client(), functionName, s3Requests),
    ses: iam.guardClient(aws.newSesClient(), functionName, sesRequests),
    secrets: iam.guardClient(aws.newSecretsClient(), functionName, secretsRequests),
  });

  // Each tool's dependencies from its folder's factory, with the environment CDK synthesized for its
  // function (resolved to the local resources) and clients acting as its role: as its Lambda builds them.
  const environments = functionEnvironments(synthesized.template, synthesized.stack, agent, names);
  const tools: Record<string, GuardedHandler> = {};
  for (const tool of declared) {
    const toolClient = clientOf(tool.name);
    const env = envOf(environments.get(tool.name) ?? {}, tool.name);
    try {
      const deps = await toolDepsFrom(agent.toolFolderOf(tool.name), tool, env, {
        dynamoDb: toolClient,
        ...serviceClientsOf(tool.name),
        fetch: options.fetch ?? globalThis.fetch,
      });
      tools[tool.name] = createGuardedHandler({
        tool,
        deps,
        client: toolClient,
        tables,
        approvals: new DynamoDbApprovalReader({ client: toolClient, tableName: tables.approvals }),
        declaration: declarationVersion(tool),
        informationFlow: flowModeFrom(environments.get(tool.name) ?? {}),
        ...toolEscalationGroup(environments.get(tool.name) ?? {}),
      });
    } catch (error) {
      // As a Lambda whose cold start fails (a variable its declaration does not give it): every
      // invocation fails, the state machine catches it, the rest of the system runs.
      const message = error instanceof Error ? error.message : String(error);
      tools[tool.name] = async () => {
        throw Object.assign(new Error(`${tool.name} failed at cold start: ${message}`), { name: 'Runtime.InitError' });
      };
    }
  }

  // Stores as each function builds them, each on its own client (role).
  const callModelClient = clientOf(OrchestrationFunction.CALL_MODEL);
  const apiClient = clientOf(OrchestrationFunction.API);
  // MCP's function deployed: its calls are checked against its own role.
  const mcpClient = clientOf(OrchestrationFunction.MCP);
  const mcpBreakers = new DynamoDbBreakerStore({ client: mcpClient, tableName: tables.guard });
  const requestApprovalClient = clientOf(OrchestrationFunction.REQUEST_APPROVAL);
  const runs = new DynamoDbRunStore({ client: apiClient, tableName: runsTable });
  const approvals = new DynamoDbApprovalStore({
    client: apiClient,
    tableName: tables.approvals,
    ...escalationGroupOf(environments.get(OrchestrationFunction.API) ?? {}),
  });
  const escalation = approvalEscalationFrom(environments.get(OrchestrationFunction.REQUEST_APPROVAL) ?? {});
  // The audit archive's bucket, as CloudFormation would create it; each function that uses it gets
  // its own S3 client, checked against its role.
  if (agent.auditArchive) await createBucket(aws.s3, LOCAL_AUDIT_ARCHIVE_BUCKET);
  const archiveOf = (functionName: string) => {
    const bucket = environments.get(functionName)?.[FunctionEnv.AUDIT_ARCHIVE_BUCKET];
    return bucket ? new S3AuditArchive(serviceClientsOf(functionName).s3, bucket) : undefined;
  };
  // CallModel's stores as its Lambda builds them, from the environment CDK synthesized for it.
  const { approvals: callModelApprovals, ...callModelWork } = callModelStores(
    envOf(environments.get(OrchestrationFunction.CALL_MODEL) ?? {}, OrchestrationFunction.CALL_MODEL),
    callModelClient,
    environments.get(OrchestrationFunction.CALL_MODEL) ?? {},
    archiveOf(OrchestrationFunction.CALL_MODEL),
  );
  const breakers = new DynamoDbBreakerStore({ client: apiClient, tableName: tables.guard });
  const configuredModel = process.env.MODEL_PROVIDER ? await modelFromEnv() : undefined;
  /** What call-model reported for metrics, in order (the local stand-in for the dashboard's loop panels). */
  const events: string[] = [];
  const callModel = createCallModel({
    ...callModelWork,
    registry,
    // A run's script wins; else the app's choice; else the configured provider (MODEL_PROVIDER, as deployed); else the demo model.
    modelFor: (run) =>
      run.script
        ? new ScriptedModel(run.script)
        : (options.model?.({ runId: run.runId, userId: run.owner, input: run.input }) ?? configuredModel ?? new DemoModel()),
    functionNameOf: (tool) => tool,
    systemPrompt: SYSTEM_PROMPT,
    informationFlow: flowModeFrom(environments.get(OrchestrationFunction.CALL_MODEL) ?? {}),
    onApprovalExpired: async (approvalId) => void (await callModelApprovals.expire(approvalId)),
    events: {
      runEnded: (status, iterations) => events.push(`runEnded:${status}:${iterations}`),
      approvalExpired: (tool) => events.push(`approvalExpired:${tool}`),
      sealFailed: (runId) => events.push(`sealFailed:${runId}`),
      spendCrossed: (crossing) => events.push(`spendCrossed:${crossing.counter.key}:${crossing.dimension}`),
    },
  });
  const approvalTimeoutMs = options.approvalTimeoutMs ?? 10 * 60_000;
  const requestApprovalStore = new DynamoDbApprovalStore({
    client: requestApprovalClient,
    tableName: tables.approvals,
    ...escalationGroupOf(environments.get(OrchestrationFunction.REQUEST_APPROVAL) ?? {}),
  });
  const requestApproval = createRequestApproval({
    approvals: requestApprovalStore,
    timeoutSeconds: Math.max(1, Math.ceil(approvalTimeoutMs / 1000)),
    ...(escalation ? { escalation } : {}),
  });
  // Escalation, as deployed an EventBridge rule runs it every minute: here every second, on RequestApproval's own role.
  const sweep = escalation ? createEscalationSweep({ approvals: requestApprovalStore, escalation }) : undefined;
  let sweeping = Promise.resolve();
  const sweepTimer = sweep
    ? setInterval(() => {
        sweeping = sweeping.then(async () => {
          const { escalated } = await sweep().catch(() => ({ escalated: [] as string[] }));
          for (const id of escalated) events.push(`approvalEscalated:${id}`);
        });
      }, options.escalationSweepMs ?? 1000)
    : undefined;
  // Step Functions' own view of an approval (the local stand-in for the task token's state).
  const platformApprovals = new DynamoDbApprovalStore({ client, tableName: tables.approvals });

  const { definition } = synthesized;
  // The ASL CDK synthesized, typed here as this project reads it; aws-local-stepfunctions has its own type for the same JSON.
  const machine = new StateMachine(definition as unknown as ConstructorParameters<typeof StateMachine>[0], {
    validationOptions: { checkArn: false },
  });
  const executions = new Map<string, LocalExecution>();
  /** Executions waiting on an approval: how to resume each, and its expiry timer. */
  const waiting = new Map<string, { resume: (decision: unknown) => void; timer?: NodeJS.Timeout }>();

  /** A Lambda context for one invocation of a tool function: its own request id, a 30 s countdown. */
  const lambdaContext = (name: string): Context => {
    const deadline = Date.now() + 30_000;
    return {
      awsRequestId: randomUUID(),
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: name,
      memoryLimitInMB: '256',
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => deadline - Date.now(),
      done: () => {},
      fail: () => {},
      succeed: () => {},
    };
  };
  const invokeTool = async (input: { FunctionName: string; Payload: unknown }) => {
    const handler = tools[input.FunctionName];
    if (!handler) throw Object.assign(new Error(`no function ${input.FunctionName}`), { name: 'Lambda.ResourceNotFoundException' });
    return { Payload: await handler(input.Payload, lambdaContext(input.FunctionName)) };
  };

  /**
   * The waitForTaskToken task, locally: records the approval (or finds it, on a resumed run) and
   * waits for its decision. An approval decided before a crash resumes at once; one whose time ran
   * out, while the system was down or not, ends as the state's timeout, as on AWS.
   */
  const awaitApproval = async (input: { Payload: Omit<RequestApprovalEvent, 'taskToken'> }): Promise<unknown> => {
    const { item } = input.Payload;
    const approvalId = approvalIdOf(item.invocation.runId, item.invocation.callId);
    await requestApproval({ taskToken: `${TOKEN_PREFIX}${approvalId}`, item });
    return new Promise((resolve, reject) => {
      const end = (outcome: () => void) => {
        clearTimeout(waiting.get(approvalId)?.timer);
        waiting.delete(approvalId);
        outcome();
      };
      const timedOut = () => end(() => reject(Object.assign(new Error('approval timed out'), { name: 'States.Timeout' })));
      // Listening first, then reading: a decision that lands in between still finds the waiter.
      waiting.set(approvalId, { resume: (decision) => end(() => resolve(decision)) });
      platformApprovals.get(approvalId).then(
        (stored) => {
          const waiter = waiting.get(approvalId);
          if (!waiter) return;
          if (stored?.status === 'APPROVED' || stored?.status === 'DENIED')
            return waiter.resume({ approvalId, decision: stored.status === 'APPROVED' ? 'approve' : 'deny' });
          const leftMs = (stored?.expiresAt ?? 0) * 1000 - Date.now();
          if (stored?.status === 'EXPIRED' || leftMs <= 0) return timedOut();
          waiter.timer = setTimeout(timedOut, leftMs);
        },
        (error: unknown) => end(() => reject(error)),
      );
    });
  };

  const running = new Map<string, { abort: () => void }>();
  /** Starts the loop for a run: from its start, or (resuming) from its last saved step. */
  const startExecution = async (runId: string, iteration?: number): Promise<void> => {
    const execution = machine.run(iteration === undefined ? { runId } : { runId, iteration }, {
      context: { Execution: { Name: runId }, Task: { Token: 'see-the-approvals-table' } },
      overrides: {
        taskResourceLocalHandlers: {
          [LoopTask.CALL_MODEL]: localTask(callModel),
          [LoopTask.MARK_FAILED]: localTask(callModel),
          [LoopTask.INVOKE_TOOL]: localTask(invokeTool),
          [LoopTask.INVOKE_APPROVED]: localTask(invokeTool),
          [LoopTask.REQUEST_APPROVAL]: localTask(awaitApproval),
        },
      },
    });
    running.set(runId, execution);
    const record: LocalExecution = { states: [], largestStateBytes: 0, finished: Promise.resolve() };
    record.finished = (async () => {
      const collect = (async () => {
        for await (const event of execution.eventLogs) {
          if (event.type !== 'StateEntered') continue;
          record.states.push(event.state.name);
          record.largestStateBytes = Math.max(record.largestStateBytes, Buffer.byteLength(JSON.stringify(event.state.input ?? null)));
        }
      })();
      await execution.result.catch(() => undefined);
      await collect;
      running.delete(runId);
    })();
    executions.set(runId, record);
  };

  /** A run's execution in this process; for an ended run, once it has ended too (the record says so a state or two before: Route, RunEnded). */
  const settledExecution = async (runId: string, ended: boolean) => {
    const execution = executions.get(runId);
    if (execution && ended) await execution.finished;
    return execution;
  };

  const apiArchive = archiveOf(OrchestrationFunction.API);
  const apiDeps: ApiDeps = {
    runs,
    audit: new DynamoDbAuditStore({ client: apiClient, tableName: tables.audit }),
    ...(apiArchive ? { auditArchive: apiArchive } : {}),
    ...budgetSettings(environments.get(OrchestrationFunction.API) ?? {}),
    ...spendSettings(environments.get(OrchestrationFunction.API) ?? {}, apiClient, tables.guard),
    ...escalationOf(environments.get(OrchestrationFunction.API) ?? {}),
    approvals,
    runBuckets: new DynamoDbBucketStore({ client: apiClient, tableName: tables.guard }),
    mcpLabels: new DynamoDbMcpLabelStore({ client: apiClient, tableName: tables.guard }),
    registry,
    // Step Functions runs in this process: the API's role is asked as Step Functions would ask it.
    startExecution: async (runId) => {
      iam.check(OrchestrationFunction.API, 'states:StartExecution', LOCAL_STATE_MACHINE_ARN);
      await startExecution(runId);
    },
    sendTaskSuccess: async (taskToken, output) => {
      // No resource-level permission: IAM asks for it on "*", as AWS does.
      iam.check(OrchestrationFunction.API, 'states:SendTaskSuccess', '*');
      if (taskToken.startsWith(TOKEN_PREFIX)) waiting.get(taskToken.slice(TOKEN_PREFIX.length))?.resume(output);
    },
    openBreakers: (names_) => breakers.openAmong(names_),
    allowScriptedModel: true,
    ...(options.runLimit ? { runLimit: options.runLimit } : {}),
    slack: {
      signingSecret: options.slackSigningSecret ?? process.env.LOCAL_SLACK_SIGNING_SECRET ?? 'local-slack-signing-secret',
      // Locally a Slack user is a local user: Slack id `U` + their upper-case user id (Cognito's stand-in).
      resolveDecider: async (slackUserId) => {
        const user = (options.users ?? []).find((u) => `U${u.userId.toUpperCase().replaceAll(/[^A-Z0-9]/g, '')}` === slackUserId);
        return user ? { userId: user.userId, groups: user.groups } : undefined;
      },
    },
    stateTransitions: async (runId, ended) => (await settledExecution(runId, ended))?.states.length,
    loopPath: async (runId, ended) => loopPath(definition, (await settledExecution(runId, ended))?.states ?? []),
    newRunId: () => `run-${randomUUID()}`,
    traces: tracing.spansOfRun,
    // MCP's tools/call invokes a tool's function as the loop does (locally: in process, by tool name).
    mcp: {
      // The MCP SDK is loaded on the first /mcp request, not at start-up (it adds about a second to it).
      handle: async (request) =>
        (await import('../../functions/api/mcp/mcp-endpoint.ts')).handleMcp(request, {
          registry,
          openBreakers: (names_) => mcpBreakers.openAmong(names_),
          approvals: new DynamoDbApprovalStore({ client: mcpClient, tableName: tables.approvals }),
          audit: new DynamoDbAuditStore({ client: mcpClient, tableName: tables.audit }),
          informationFlow: flowModeFrom(environments.get(OrchestrationFunction.MCP) ?? {}),
          labels: mcpLabelsFrom(environments.get(OrchestrationFunction.MCP) ?? {}, mcpClient, tables.guard),
          ...spendSettings(environments.get(OrchestrationFunction.MCP) ?? {}, mcpClient, tables.guard),
          invokeTool: async (tool, invocation) => {
            // As Lambda's Invoke asks IAM on AWS: the MCP function's role must name the tool's function.
            iam.check(OrchestrationFunction.MCP, 'lambda:InvokeFunction', localFunctionArn(tool));
            return (await invokeTool({ FunctionName: tool, Payload: invocation })).Payload as ToolResult;
          },
          approvalSeconds: Math.max(1, Math.ceil(approvalTimeoutMs / 1000)),
        }),
    },
  };

  // What a crash or a stop left unfinished resumes from its last saved step: CallModel answers a
  // step it already took from the store, and tools are idempotent on (run, call), so nothing runs twice.
  const platformRuns = new DynamoDbRunStore({ client, tableName: runsTable });
  const platformAudit = new DynamoDbAuditStore({ client, tableName: tables.audit });
  const unfinished = await platformRuns.listUnfinished();
  // Their calls in flight died with the process that ran them: their claims are abandoned now, so
  // the resumed attempts take them over at once (and record the dead attempts) instead of waiting.
  const claims = new DynamoDbIdempotencyStore({ client, tableName: tables.idempotency });
  for (const run of unfinished) {
    const calls = (await platformRuns.load(run.runId))?.calls ?? [];
    for (const call of calls.filter((c) => c.iteration === run.iteration))
      await claims.abandon(idempotencyKey(call.tool, run.runId, call.callId));
  }
  for (const run of unfinished) await startExecution(run.runId, run.iteration === 0 ? undefined : run.iteration - 1);

  return {
    /** Runs that were unfinished at start and have been resumed. */
    resumed: unfinished.map((run) => run.runId),
    deps: apiDeps,
    client,
    /** Every table's local name, by table id, and the engine's endpoint. */
    tableNames: names,
    dynamoDbEndpoint: endpoint,
    tables,
    /** The documents bucket on the embedded S3, through the platform's client (tests, the red team). */
    documents: aws.documents,
    /** The mail send_email sent through the embedded SES since this start, oldest first. */
    sentMail: aws.sentMail,
    /** The embedded S3, SES and Secrets Manager endpoints (the bundles tests point synthesized functions at them). */
    s3Endpoint: aws.s3Endpoint,
    sesEndpoint: aws.sesEndpoint,
    secretsManagerEndpoint: aws.secretsManagerEndpoint,
    tools,
    runs,
    /** Approvals through the API's role: decided, listed, read. */
    approvals,
    /** Approvals through RequestApproval's role: recorded as the loop asks for one (tests record one this way). */
    approvalRequests: requestApprovalStore,
    definition,
    events,
    executions,
    /** Per-tool counters from the audit trail and the breakers (the console's dashboard). */
    stats: async () =>
      toolCounters(
        client,
        tables.audit,
        declared.map((t) => t.name),
        await breakers.openAmong(declared.map((t) => t.name)),
      ),
    /**
     * The dashboard's figures over a range, as time series (the console's graphs): from the audit
     * trail (its day index) and the runs (their month index), read as CloudWatch would hold them.
     */
    metrics: async (range: MetricRange): Promise<MetricSeries> => {
      const now = Date.now();
      const { rangeMs, stepMs } = METRIC_RANGES[range];
      const since = new Date(now - rangeMs - stepMs);
      const { records } = await platformAudit.listBetween(since, new Date(now));
      const runs: RunRecord[] = [];
      let cursor: RunListCursor | undefined;
      do {
        const page = await platformRuns.list({ limit: 100, months: 2, ...(cursor ? { cursor } : {}) });
        runs.push(...page.runs);
        cursor = page.cursor;
        // Newest first: a page that reaches back before the range is the last one needed.
        if ((page.runs.at(-1)?.createdAt ?? '') < since.toISOString()) break;
      } while (cursor && runs.length < 10_000);
      return metricSeries({ records, runs, tools: declared.map((t) => t.name), range, now });
    },
    /** DynamoDB requests each function (tool name, CallModel, Api, RequestApproval) has sent since the start. */
    requestCounts: (): ReadonlyMap<string, number> => requestCounts,
    /** The local IAM: each function's policies, what it was allowed and what was denied. */
    iam,
    /**
     * Calls one tool as the loop invokes its Lambda: every guard, the audit, the tool's own
     * dependencies on the embedded services (a team's tests of its tools). A fresh run and call id
     * unless given (the same pair again is an idempotent replay).
     */
    callTool: async (call: {
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
      ).Payload as ToolResult,
    /** The loop's model step, as the state machine invokes it (soak and tests). */
    callModel,
    /** A run's trace so far (its spans, oldest first): what the console's waterfall draws. */
    traceOf: tracing.spansOfRun,
    /** The spans of an MCP session's calls, each call a trace of its own (`mcp-<session>`). */
    conversationSpans: tracing.spansOfConversation,
    /** Sends the spans an OTLP exporter still holds. */
    flushTraces: tracing.flush,
    /** Approvals an execution is waiting on right now. */
    waitingApprovals: () => [...waiting.keys()],
    /**
     * Stops without deciding anything: executions are abandoned where they are (a pending approval
     * stays pending, a run stays unfinished) and, with DATA_DIR, resume at the next start.
     */
    stop: async () => {
      clearInterval(sweepTimer);
      await sweeping;
      for (const { timer } of waiting.values()) clearTimeout(timer);
      waiting.clear();
      for (const execution of running.values()) execution.abort();
      await Promise.all([...executions.values()].map((e) => e.finished));
      await inFlight.settled();
      await tracing.flush().catch(() => undefined);
      for (const c of functionClients) c.destroy();
      client.destroy();
      if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
      await aws.stop();
    },
  };
};

export type LocalSystem = Awaited<ReturnType<typeof startLocalSystem>>;
