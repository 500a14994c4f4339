import { join } from 'node:path';
import { Duration, RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { guardTableSpecs, orchestrationTableSpecs, type TableSpec } from '../../shared/tables/index.ts';
import { type AnyTool, assertToolsLint } from '../../shared/tool/index.ts';
import { AgentApi } from './agent-api.ts';
import { AgentDashboard } from './agent-dashboard.ts';
import { AgentLoop } from './agent-loop.ts';
import { grantBedrockModel } from './bedrock-grant.ts';
import { tableFromSpec } from './data-table.ts';
import { DocumentsBucket } from './documents-bucket.ts';
import { packageModule, writeCatalogEntry, writeToolEntry } from './generated-entries.ts';
import { checkTracing, enableTracing, type AgentTracing } from './agent-tracing.ts';
import { AuditArchive, type AuditArchiveProps } from './audit-archive.ts';
import { FlowMode, isFlowMode } from '../../shared/guards/index.ts';
import { budgetEnvironment } from './budget-settings.ts';
import { escalationSettings } from './escalation-settings.ts';
import type { McpOAuthProps } from './agent-api.ts';
import { APPROVAL_ESCALATION_ENV } from '../../functions/commons/approval-escalation-env.ts';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { ModelPrices, RunBudget } from '../../shared/runs/index.ts';
import type { SpendBudgets } from '../../shared/budgets/index.ts';
import { createNodeFunction } from './node-function.ts';
import { ToolFunction } from './tool-function.ts';
import { mcpServerSettings, type McpServerConnection } from './mcp-servers.ts';
import { acknowledge } from '../nag-acknowledgements.ts';
import { UNFILLED_SLACK_SECRET } from '../../functions/commons/slack-config.ts';
import { MODEL_REQUEST_TIMEOUT_MS } from '../../functions/orchestration/call-model/call-model.ts';
import type { TokenLimitField } from '../../shared/model/index.ts';
import { FunctionEnv } from '../../functions/commons/function-env.ts';
import { grantAccess } from './table-grants.ts';
import { callModelAccess } from '../../functions/orchestration/call-model/access.ts';
import { requestApprovalAccess } from '../../functions/orchestration/request-approval/access.ts';
import { mcpAccess } from '../../functions/api/mcp/access.ts';
import { OrchestrationFunction } from './orchestration-functions.ts';

export interface GuardedAgentProps {
  /** The tools to deploy: one Lambda each, derived from the declaration. */
  readonly tools: readonly AnyTool[];
  /**
   * Where tool folders live: a tool's folder is `<toolsDir>/<name with - for _>/`, with `tool.ts`
   * (its declaration, exported under any name) and, when its handler needs any, `deps.ts` (exporting
   * `createDeps(env, clients)`: how its dependencies are built). Its Lambda entry, and those of the
   * loop and the API (which offer, screen and list exactly the tools given here), are generated from
   * these files at synth time.
   */
  readonly toolsDir: string;
  /** Tables the tools' own stores use, referenced by id from their `resources`. @default none */
  readonly dataTables?: readonly TableSpec[];
  /** Create the documents bucket (needed by tools with a `documents` resource). @default false */
  readonly documents?: boolean;
  /** Verified SES identity that tools with an `email` resource send from. Required when one does. */
  readonly senderEmail?: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Lambda time on top of each tool's timeout, for the guards that run after the handler. @default 3 seconds */
  readonly guardHeadroom?: Duration;
  /** @default 'GuardedAgents' */
  readonly metricsNamespace?: string;
  /** How long a destructive call waits for an approver before it ends APPROVAL_EXPIRED. @default 1 hour */
  readonly approvalTimeout?: Duration;
  /**
   * The Bedrock model the agent converses with: a foundation model id, or a cross-Region
   * inference profile id (`us.…`, `eu.…`, `global.…`), which is granted through the profile.
   * @default 'amazon.nova-lite-v1:0'
   */
  readonly bedrockModelId?: string;
  /**
   * Converse with an OpenAI-compatible Chat Completions server instead of Bedrock. Creates a
   * secret for its API key, to fill in after deploying.
   * @default Bedrock
   */
  readonly openAiCompatible?: {
    readonly baseUrl: string;
    readonly model: string;
    /** Older servers know only `max_tokens`. @default 'max_completion_tokens' */
    readonly tokenLimitField?: TokenLimitField;
  };
  /**
   * OpenTelemetry traces of each run, named by the GenAI conventions: the tools and CallModel send
   * their spans to X-Ray (and/or an OTLP endpoint). Off, the bundles carry no tracing SDK.
   * @default off
   */
  readonly tracing?: AgentTracing;
  /**
   * Honour a scripted model carried by a run (DESIGN.md, local mode). Only for test stacks: a
   * script lets the run's creator decide what "the model" asks for.
   * @default false
   */
  readonly allowScriptedModel?: boolean;
  /**
   * Post approval requests to a Slack channel and take decisions from its buttons. Creates a
   * secret to fill in after deploying: JSON `{ "signingSecret": "...", "botToken": "xoxb-..." }`.
   * @default Slack off: approvals are decided over the API only
   */
  readonly slack?: {
    readonly channel: string;
  };
  /**
   * What happens to data (tables, bucket) when the stack is deleted. The audit trail and approvals
   * are evidence, so the safe default keeps everything.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** Subscribe this address to the alarm topic. @default no subscription (subscribe to the topic yourself) */
  readonly alarmEmail?: string;
  /** Create the account-wide API Gateway logging role (it replaces an existing one). @default true */
  readonly apiGatewayCloudWatchRole?: boolean;
  /**
   * Copy each finished run's audit chain to an S3 bucket under Object Lock (compliance mode, this
   * retention), where nobody can rewrite it; `GET /runs/{id}/audit/verify` then checks the table
   * against it. @default no archive
   */
  readonly auditArchive?: AuditArchiveProps;
  /**
   * Information-flow control: once content anyone could have written (a tool declared
   * `output: 'untrusted'`) has entered a run, its calls to sinks (`reaches: 'external'`) wait for
   * approval (`approve`), are refused (`refuse`), or are left alone (`off`). A tool's `flow` wins.
   * @default 'approve'
   */
  readonly informationFlow?: FlowMode;
  /**
   * Over MCP, how long a user's information-flow label lasts after the last untrusted content came
   * in. The label follows the user, not the MCP session (a model's context outlives a reconnect),
   * until it lapses or the user or an admin clears it (`DELETE /users/{userId}/mcp-label`). Longer
   * asks for more approvals; shorter lets a reconnect wash the label sooner. Whole seconds, 1 s to 30 days.
   * @default Duration.hours(24)
   */
  readonly mcpLabelLifetime?: Duration;
  /**
   * Caps on every run: tool calls asked for, model tokens, model cost in dollars (needs
   * `modelPrices`). A run's own `budget` (`POST /runs`) can lower them, never raise them; a run
   * that would exceed one ends `BUDGET_EXHAUSTED` before the call that would overspend.
   * @default no caps
   */
  readonly runBudget?: RunBudget;
  /** The model's prices in dollars per million input and output tokens, for budgets and spending in dollars. @default none */
  readonly modelPrices?: ModelPrices;
  /**
   * Budgets per user and per tenant over a UTC day or month: tool calls, model tokens, model cost
   * in dollars (needs `modelPrices`), each reserved before the step that spends it, so concurrent
   * runs cannot overspend; a run that would exceed one ends `BUDGET_EXHAUSTED`. A limit's `alarmAt`
   * (a share of its caps) notifies the alarm topic when crossed. Tenants come from a group prefix or
   * a claim (`tenant`); with tenant limits declared, a caller whose token names no tenant cannot start runs.
   * @example { tenant: { groupPrefix: 'tenant-' }, limits: [{ scope: 'user', window: 'day', toolCalls: 200, usd: 5, alarmAt: 0.8 }, { scope: 'tenant', window: 'month', usd: 500 }] }
   * @default none
   */
  readonly spendBudgets?: SpendBudgets;
  /**
   * Escalation: an approval that has waited `after` without a decision is offered to a second
   * Cognito group as well (created here if new), posted to its Slack channel, until it expires
   * (`approvalTimeout`, after which it still fails closed). Runs every minute (an EventBridge rule).
   * @default none
   */
  readonly approvalEscalation?: { readonly after: Duration; readonly group: string; readonly slackChannel?: string };
  /**
   * MCP's authorization flow: a Cognito domain and an app client for MCP clients (authorization
   * code with PKCE); `/mcp` then takes access tokens and points clients at the user pool through its
   * protected-resource metadata and its 401s. @default none (`/mcp` takes ID tokens, as the API does)
   */
  readonly mcpOAuth?: McpOAuthProps;
  /**
   * The remote MCP servers whose tools are declared with `defineMcpTool`, by the id their `server`
   * names: where each is and where its credentials are. Each such tool's function gets its
   * server's URL and read access to its secret, nothing else.
   * @example { docs: { url: 'https://mcp.example.com/mcp', secretName: 'docs-mcp' } }
   * @default none
   */
  readonly mcpServers?: Readonly<Record<string, McpServerConnection>>;
}

/**
 * A guarded tool-calling agent: the guard tables, the tools' data stores and one guarded Lambda
 * per tool. Tool lint runs here, so a badly declared tool fails the synth with how to fix it.
 *
 * @example
 * new GuardedAgent(stack, 'Agent', { tools: toolCatalog.tools, toolsDir: 'functions/tools', dataTables: Object.values(demoTableSpecs), documents: true, senderEmail: 'agent@example.com' });
 */
export class GuardedAgent extends Construct {
  readonly guardTables: { readonly guard: Table; readonly idempotency: Table; readonly audit: Table; readonly approvals: Table };
  readonly dataTables: ReadonlyMap<string, Table>;
  readonly documents: Bucket | undefined;
  /** The tool Lambdas by tool name. */
  readonly toolFunctions: ReadonlyMap<string, ToolFunction>;
  readonly runs: Table;
  readonly loop: AgentLoop;
  readonly api: AgentApi;
  readonly dashboard: AgentDashboard;
  /** The Slack app's signing secret and bot token, when Slack is on. */
  readonly slackSecret: Secret | undefined;
  /** The OpenAI-compatible server's API key, when that provider is configured. */
  readonly modelApiKey: Secret | undefined;
  /** The headers traced functions send their spans to the collector with, when `tracing.otlpHeaders` is on. */
  readonly tracingHeaders: Secret | undefined;
  /** The Object Lock bucket of finished runs' audit chains, when `auditArchive` is set. */
  readonly auditArchive: Bucket | undefined;
  /** The loop's and the front door's functions (the local system checks each one's calls against its role). */
  readonly orchestrationFunctions: {
    readonly callModel: NodejsFunction;
    readonly requestApproval: NodejsFunction;
    readonly api: NodejsFunction;
    readonly mcp: NodejsFunction;
  };

  readonly #toolsDir: string;

  /** The tools deployed, as declared (the local system runs these). */
  readonly tools: readonly AnyTool[];
  /** The tools' own tables, as described (the local system makes these). */
  readonly dataTableSpecs: readonly TableSpec[];
  /** Each function's Lambda entry, generated at synth time (tool names, `CallModel`, `RequestApproval`, `Api`). */
  readonly entries: ReadonlyMap<string, string>;

  /** A tool's folder: its `tool.ts` (declaration) and `deps.ts` (how its dependencies are built). */
  toolFolderOf(tool: string): string {
    return join(this.#toolsDir, tool.replaceAll('_', '-'));
  }

  constructor(scope: Construct, id: string, props: GuardedAgentProps) {
    super(scope, id);
    if (props.tools.length === 0) throw new Error('GuardedAgent needs at least one tool in props.tools');
    assertToolsLint(props.tools);
    if (props.tracing) checkTracing(props.tracing);
    const traced = props.tracing !== undefined;
    const informationFlow = props.informationFlow ?? FlowMode.APPROVE;
    const mcpLabelSeconds = (props.mcpLabelLifetime ?? Duration.hours(24)).toSeconds();
    if (!Number.isInteger(mcpLabelSeconds) || mcpLabelSeconds < 1 || mcpLabelSeconds > 30 * 24 * 3600)
      throw new Error(`GuardedAgent mcpLabelLifetime must be whole seconds from 1 s to 30 days; got ${mcpLabelSeconds} s`);
    const budgetEnv = budgetEnvironment(props.runBudget, props.modelPrices, props.spendBudgets);
    const escalation = escalationSettings(props.approvalEscalation, props.approvalTimeout ?? Duration.hours(1));
    const mcpServers = mcpServerSettings(props.tools, props.mcpServers);
    const escalationEnv: Record<string, string> = escalation ? { [APPROVAL_ESCALATION_ENV]: JSON.stringify(escalation) } : {};
    const spendEnv: Record<string, string> = budgetEnv.spendBudgets ? { [FunctionEnv.SPEND_BUDGETS]: budgetEnv.spendBudgets } : {};
    if (!isFlowMode(informationFlow))
      throw new Error(
        `GuardedAgent informationFlow must be one of ${Object.values(FlowMode).join(', ')}; got "${String(informationFlow)}"`,
      );
    this.tools = props.tools;
    this.dataTableSpecs = props.dataTables ?? [];
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const folderOf = (tool: string) => this.toolFolderOf(tool);
    this.#toolsDir = props.toolsDir;
    const entries = new Map(props.tools.map((tool) => [tool.name, writeToolEntry({ tool, folder: folderOf(tool.name), traced })]));
    // With an audit archive, CallModel writes to it and the API reads it; without, their bundles carry no S3 client.
    const archived = props.auditArchive !== undefined;
    entries.set(OrchestrationFunction.CALL_MODEL, writeCatalogEntry({ fn: 'callModel', tools: props.tools, folderOf, traced, archived }));
    entries.set(OrchestrationFunction.API, writeCatalogEntry({ fn: 'api', tools: props.tools, folderOf, archived }));
    entries.set(OrchestrationFunction.MCP, writeCatalogEntry({ fn: 'mcp', tools: props.tools, folderOf }));
    entries.set(OrchestrationFunction.REQUEST_APPROVAL, packageModule('functions', 'orchestration', 'request-approval', 'index'));
    this.entries = entries;

    const tables = new Construct(this, 'Tables');
    this.guardTables = {
      guard: tableFromSpec(tables, guardTableSpecs.guard, removalPolicy),
      idempotency: tableFromSpec(tables, guardTableSpecs.idempotency, removalPolicy),
      audit: tableFromSpec(tables, guardTableSpecs.audit, removalPolicy),
      approvals: tableFromSpec(tables, guardTableSpecs.approvals, removalPolicy),
    };
    const dataSpecs = props.dataTables ?? [];
    this.dataTables = new Map(dataSpecs.map((spec) => [spec.id, tableFromSpec(tables, spec, removalPolicy)]));
    this.documents = props.documents ? new DocumentsBucket(this, 'Documents', { removalPolicy }).bucket : undefined;

    const dataTables = new Map(dataSpecs.map((spec) => [spec.id, { table: this.dataTables.get(spec.id) as Table, envVar: spec.envVar }]));
    const tools = new Construct(this, 'Tools');
    this.toolFunctions = new Map(
      props.tools.map((tool) => [
        tool.name,
        new ToolFunction(tools, tool.name, {
          tool,
          entry: entries.get(tool.name) as string,
          guardTables: this.guardTables,
          dataTables,
          ...(this.documents ? { documents: this.documents } : {}),
          ...(props.senderEmail ? { senderEmail: props.senderEmail } : {}),
          logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
          guardHeadroom: props.guardHeadroom ?? Duration.seconds(3),
          metricsNamespace: props.metricsNamespace ?? 'GuardedAgents',
          informationFlow,
          ...(escalation ? { escalationGroup: escalation.group } : {}),
          ...(mcpServers.has(tool.name) ? { mcpServer: mcpServers.get(tool.name) } : {}),
        }),
      ]),
    );

    // The agent loop: its own run store, the model caller, the approval requester, the state machine.
    this.runs = tableFromSpec(tables, orchestrationTableSpecs.runs, removalPolicy);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;
    const approvalTimeout = props.approvalTimeout ?? Duration.hours(1);
    const modelId = props.bedrockModelId ?? 'amazon.nova-lite-v1:0';
    const orchestration = new Construct(this, 'Orchestration');
    // The model request, then the function, then the state machine's task: each outlasts the one before.
    const callModelTimeout = Duration.millis(MODEL_REQUEST_TIMEOUT_MS).plus(Duration.seconds(15));
    const toolFunctionNames = Stack.of(this).toJsonString(
      Object.fromEntries([...this.toolFunctions].map(([name, fn]) => [name, fn.function.functionName])),
    );
    const callModel = createNodeFunction(orchestration, OrchestrationFunction.CALL_MODEL, {
      entry: entries.get(OrchestrationFunction.CALL_MODEL) as string,
      description: 'Agent loop: calls the model and screens the calls it asks for',
      timeout: callModelTimeout,
      memorySize: 512,
      environment: {
        [orchestrationTableSpecs.runs.envVar]: this.runs.tableName,
        [guardTableSpecs.guard.envVar]: this.guardTables.guard.tableName,
        [FunctionEnv.TOOL_FUNCTIONS]: toolFunctionNames,
        ...(props.openAiCompatible
          ? {
              [FunctionEnv.MODEL_PROVIDER]: 'openai-compatible',
              [FunctionEnv.OPENAI_BASE_URL]: props.openAiCompatible.baseUrl,
              [FunctionEnv.OPENAI_MODEL]: props.openAiCompatible.model,
              [FunctionEnv.OPENAI_TOKEN_LIMIT_FIELD]: props.openAiCompatible.tokenLimitField ?? 'max_completion_tokens',
            }
          : { [FunctionEnv.MODEL_PROVIDER]: 'bedrock', [FunctionEnv.BEDROCK_MODEL_ID]: modelId }),
        [FunctionEnv.ALLOW_SCRIPTED_MODEL]: String(props.allowScriptedModel ?? false),
        [FunctionEnv.INFORMATION_FLOW]: informationFlow,
        ...(budgetEnv.prices ? { [FunctionEnv.MODEL_PRICES]: budgetEnv.prices } : {}),
        ...spendEnv,
      },
      logRetention,
    });
    const agentTables = { ...this.guardTables, runs: this.runs };
    // Successful calls answer the state machine with a receipt; their data is read from the idempotency record.
    callModel.addEnvironment(guardTableSpecs.idempotency.envVar, this.guardTables.idempotency.tableName);
    // Records the attempts that never reach a tool (refused at screening, approval expired), and
    // seals each run's records into its hash chain after every step (reads the run's records).
    callModel.addEnvironment(guardTableSpecs.audit.envVar, this.guardTables.audit.tableName);
    // Marks approvals that ran out of time as expired.
    callModel.addEnvironment(guardTableSpecs.approvals.envVar, this.guardTables.approvals.tableName);
    // Budgets over windows: their counters are items of the guard table, reserved and settled by CallModel.
    grantAccess(agentTables, callModel, callModelAccess({ budgets: props.spendBudgets !== undefined, slack: props.slack !== undefined }));
    this.modelApiKey = props.openAiCompatible
      ? new Secret(orchestration, 'ModelApiKey', { description: 'API key of the OpenAI-compatible model server (the bare key)' })
      : undefined;
    if (this.modelApiKey) {
      acknowledge(
        this.modelApiKey,
        'AwsSolutions-SMG4',
        'The key is issued and rotated by the model provider, then pasted here; Secrets Manager cannot rotate it.',
      );
      this.modelApiKey.grantRead(callModel);
      callModel.addEnvironment(FunctionEnv.OPENAI_API_KEY_SECRET_ARN, this.modelApiKey.secretArn);
    } else {
      grantBedrockModel(callModel, modelId);
    }
    // The functions that make spans: each tool (its call and guards) and CallModel (the run, the model calls).
    this.tracingHeaders = props.tracing?.otlpHeaders
      ? new Secret(orchestration, 'TracingHeaders', {
          description: 'Headers for the OTLP collector traces go to: fill in as OTEL_EXPORTER_OTLP_HEADERS, e.g. x-api-key=...',
        })
      : undefined;
    if (this.tracingHeaders)
      acknowledge(
        this.tracingHeaders,
        'AwsSolutions-SMG4',
        'The key is issued and rotated by the tracing backend, then pasted here; Secrets Manager cannot rotate it.',
      );
    if (props.tracing)
      for (const fn of [callModel, ...[...this.toolFunctions.values()].map((t) => t.function)])
        enableTracing(fn, props.tracing, this.tracingHeaders);
    const requestApproval = createNodeFunction(orchestration, OrchestrationFunction.REQUEST_APPROVAL, {
      entry: entries.get(OrchestrationFunction.REQUEST_APPROVAL) as string,
      description: 'Agent loop: records an approval with its task token and tells approvers',
      timeout: Duration.seconds(10),
      environment: {
        [guardTableSpecs.approvals.envVar]: this.guardTables.approvals.tableName,
        [FunctionEnv.APPROVAL_TIMEOUT_SECONDS]: String(approvalTimeout.toSeconds()),
        ...escalationEnv,
      },
      logRetention,
    });
    // The sweep lists pending approvals (a scan) and marks the ones past their escalateAt, every minute.
    grantAccess(
      agentTables,
      requestApproval,
      requestApprovalAccess({ slack: props.slack !== undefined, escalation: escalation !== undefined }),
    );
    if (escalation) {
      const sweep = new Rule(orchestration, 'EscalationSweep', {
        description: 'Offers approvals that waited too long to the escalation group',
        schedule: Schedule.rate(Duration.minutes(1)),
        targets: [new LambdaTarget(requestApproval, { event: RuleTargetInput.fromObject({ sweep: true }) })],
      });
      acknowledge(
        sweep,
        'Serverless-EventBusDLQ',
        'The sweep carries no data and runs every minute: a delivery that failed is made good by the next one (marking is a conditional write, so nothing is told twice).',
      );
    }
    // Created in the shape the functions read, both fields empty: until the deployer fills them in,
    // Slack is off and approvals go through the API (a random string here would fail every cold start).
    this.slackSecret = props.slack
      ? new Secret(orchestration, 'SlackSecret', {
          description: 'Slack app for approvals: fill in JSON { "signingSecret": "...", "botToken": "xoxb-..." }',
          secretObjectValue: Object.fromEntries(Object.entries(UNFILLED_SLACK_SECRET).map(([k, v]) => [k, SecretValue.unsafePlainText(v)])),
        })
      : undefined;
    if (this.slackSecret)
      acknowledge(
        this.slackSecret,
        'AwsSolutions-SMG4',
        'Slack signing secrets and bot tokens are rotated in the Slack app, then pasted here; Secrets Manager cannot rotate them.',
      );
    this.loop = new AgentLoop(this, 'Loop', {
      callModel,
      callModelTaskTimeout: callModelTimeout.plus(Duration.seconds(15)),
      requestApproval,
      toolFunctions: [...this.toolFunctions.values()].map((t) => t.function),
      approvalTimeout,
      logRetention,
    });

    // The front door.
    const apiFunction = createNodeFunction(orchestration, OrchestrationFunction.API, {
      entry: entries.get(OrchestrationFunction.API) as string,
      description: 'HTTP API: runs, audit, approvals, Slack interactions, tools',
      timeout: Duration.seconds(15),
      environment: {
        [FunctionEnv.STATE_MACHINE_ARN]: this.loop.stateMachine.stateMachineArn,
        [orchestrationTableSpecs.runs.envVar]: this.runs.tableName,
        [guardTableSpecs.audit.envVar]: this.guardTables.audit.tableName,
        [guardTableSpecs.approvals.envVar]: this.guardTables.approvals.tableName,
        [guardTableSpecs.guard.envVar]: this.guardTables.guard.tableName,
        [FunctionEnv.ALLOW_SCRIPTED_MODEL]: String(props.allowScriptedModel ?? false),
        ...(budgetEnv.runBudget ? { [FunctionEnv.RUN_BUDGET]: budgetEnv.runBudget } : {}),
        ...(budgetEnv.prices ? { [FunctionEnv.MODEL_PRICES]: budgetEnv.prices } : {}),
        ...spendEnv,
        ...escalationEnv,
      },
      logRetention,
    });
    // MCP at /mcp: a function of its own (the MCP SDK stays out of the API's bundle). Its tools/call
    // waits for a tool's function: the longest of them, within API Gateway's 29 s.
    const mcpFunction = createNodeFunction(orchestration, OrchestrationFunction.MCP, {
      entry: entries.get(OrchestrationFunction.MCP) as string,
      description: 'MCP (Streamable HTTP): the guarded tools for MCP clients',
      timeout: Duration.seconds(
        Math.min(29, Math.max(10, ...[...this.toolFunctions.values()].map((t) => (t.function.timeout?.toSeconds() ?? 3) + 3))),
      ),
      environment: {
        [guardTableSpecs.guard.envVar]: this.guardTables.guard.tableName,
        [guardTableSpecs.audit.envVar]: this.guardTables.audit.tableName,
        [guardTableSpecs.approvals.envVar]: this.guardTables.approvals.tableName,
        [FunctionEnv.TOOL_FUNCTIONS]: toolFunctionNames,
        [FunctionEnv.APPROVAL_TIMEOUT_SECONDS]: String(approvalTimeout.toSeconds()),
        [FunctionEnv.INFORMATION_FLOW]: informationFlow,
        [FunctionEnv.MCP_LABEL_SECONDS]: String(mcpLabelSeconds),
        ...spendEnv,
      },
      logRetention,
    });
    // Breakers and the user's information-flow label read, approvals asked for and read, refusals
    // at screening audited, tools invoked by their exact ARN (unqualified: no version wildcard).
    // The user's label marked when untrusted content comes in (and, with budgets over windows, each
    // MCP call reserves a tool call on the caller's counters).
    grantAccess(agentTables, mcpFunction, mcpAccess({ budgets: props.spendBudgets !== undefined, slack: props.slack !== undefined }));
    Grant.addToPrincipal({
      grantee: mcpFunction,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [...this.toolFunctions.values()].map((t) => t.function.functionArn),
    });
    if (this.slackSecret && props.slack) {
      const slackEnv = { [FunctionEnv.SLACK_SECRET_ARN]: this.slackSecret.secretArn, [FunctionEnv.SLACK_CHANNEL]: props.slack.channel };
      for (const fn of [requestApproval, apiFunction, callModel, mcpFunction]) {
        this.slackSecret.grantRead(fn);
        for (const [name, value] of Object.entries(slackEnv)) fn.addEnvironment(name, value);
      }
    }
    this.orchestrationFunctions = { callModel, requestApproval, api: apiFunction, mcp: mcpFunction };
    const archive = props.auditArchive ? new AuditArchive(this, 'AuditArchive', props.auditArchive) : undefined;
    archive?.grantArchive(callModel);
    archive?.grantVerify(apiFunction);
    this.auditArchive = archive?.bucket;
    this.api = new AgentApi(this, 'Front', {
      apiFunction,
      mcpFunction,
      stateMachine: this.loop.stateMachine,
      tables: { runs: this.runs, audit: this.guardTables.audit, approvals: this.guardTables.approvals, guard: this.guardTables.guard },
      budgets: props.spendBudgets !== undefined,
      logRetention,
      resolveSlackDeciders: Boolean(props.slack),
      ...(escalation ? { extraGroups: [escalation.group] } : {}),
      ...(props.mcpOAuth ? { mcpOAuth: props.mcpOAuth } : {}),
      ...(props.apiGatewayCloudWatchRole === undefined ? {} : { cloudWatchRole: props.apiGatewayCloudWatchRole }),
    });

    // What is watched.
    this.dashboard = new AgentDashboard(this, 'Watch', {
      tools: props.tools,
      stateMachine: this.loop.stateMachine,
      namespace: props.metricsNamespace ?? 'GuardedAgents',
      service: 'guarded-agents',
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      spendLogs: {
        callModel: callModel.logGroup.logGroupName,
        tools: [...this.toolFunctions.values()].map((t) => t.function.logGroup.logGroupName),
      },
      budgetAlarm: props.spendBudgets?.limits.some((l) => l.alarmAt !== undefined) ?? false,
    });
  }
}
