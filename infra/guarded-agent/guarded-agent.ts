import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { guardTableSpecs, orchestrationTableSpecs, type TableSpec } from '../../shared/tables/index.ts';
import type { AnyTool } from '../../shared/tool/index.ts';
import * as FunctionEnv from '../../functions/commons/env/function-env.ts';
import { AgentApi } from './agent-api.ts';
import { AgentDashboard } from './agent-dashboard.ts';
import { AgentLoop } from './agent-loop.ts';
import { resolveAgentSettings, type AgentSettings } from './agent-settings.ts';
import { enableTracing } from './agent-tracing.ts';
import { AuditArchive } from './audit-archive.ts';
import { tableFromSpec } from './data-table.ts';
import { DocumentsBucket } from './documents-bucket.ts';
import { writeFunctionEntry, writeToolEntry } from './generated-entries.ts';
import type { GuardedAgentProps } from './guarded-agent-props.ts';
import { OrchestrationFunction } from './orchestration-functions.ts';
import {
  apiFunction,
  CALL_MODEL_TIMEOUT,
  callModelFunction,
  mcpFunction,
  requestApprovalFunction,
  slackSecret,
  tracingHeadersSecret,
  type OrchestrationContext,
} from './orchestration-lambdas.ts';
import { ToolFunction } from './tool-function.ts';

export type { GuardedAgentProps } from './guarded-agent-props.ts';

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
  /** The policy files, validated at synth (the local system screens with these), and their set's hash. */
  readonly policies: AgentSettings['policies'];
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
    const settings = resolveAgentSettings(props);
    this.tools = props.tools;
    this.policies = settings.policies;
    this.dataTableSpecs = props.dataTables ?? [];
    this.#toolsDir = props.toolsDir;
    this.entries = this.#writeEntries(props, settings);

    // 1. The tables and the documents bucket.
    const tables = new Construct(this, 'Tables');
    const table = (spec: TableSpec) => tableFromSpec(tables, spec, settings.removalPolicy);
    this.guardTables = {
      guard: table(guardTableSpecs.guard),
      idempotency: table(guardTableSpecs.idempotency),
      audit: table(guardTableSpecs.audit),
      approvals: table(guardTableSpecs.approvals),
    };
    this.dataTables = new Map(this.dataTableSpecs.map((spec) => [spec.id, table(spec)]));
    this.documents = props.documents ? new DocumentsBucket(this, 'Documents', { removalPolicy: settings.removalPolicy }).bucket : undefined;

    // 2. One guarded function per tool.
    this.toolFunctions = this.#toolFunctions(props, settings);
    const toolFns = [...this.toolFunctions.values()].map((t) => t.function);

    // 3. The agent loop: its own run store, the model caller, the approval requester, the state machine.
    this.runs = table(orchestrationTableSpecs.runs);
    const context: OrchestrationContext = {
      scope: new Construct(this, 'Orchestration'),
      props,
      settings,
      tables: { ...this.guardTables, runs: this.runs },
      entries: this.entries,
      toolFunctionNames: Stack.of(this).toJsonString(
        Object.fromEntries([...this.toolFunctions].map(([name, fn]) => [name, fn.function.functionName])),
      ),
    };
    const { fn: callModel, modelApiKey } = callModelFunction(context);
    this.modelApiKey = modelApiKey;
    // The functions that make spans: each tool (its call and guards) and CallModel (the run, the model calls).
    this.tracingHeaders = tracingHeadersSecret(context);
    if (props.tracing) for (const fn of [callModel, ...toolFns]) enableTracing(fn, props.tracing, this.tracingHeaders);
    const requestApproval = requestApprovalFunction(context);
    this.slackSecret = slackSecret(context);
    this.loop = new AgentLoop(this, 'Loop', {
      callModel,
      callModelTaskTimeout: CALL_MODEL_TIMEOUT.plus(Duration.seconds(15)),
      requestApproval,
      toolFunctions: toolFns,
      approvalTimeout: settings.approvalTimeout,
      logRetention: settings.logRetention,
      history: settings.policies !== undefined,
    });

    // 4. The front door: the HTTP API and MCP; Slack and the audit archive where the deployment has them.
    const api = apiFunction(context, this.loop.stateMachine.stateMachineArn);
    const mcp = mcpFunction(context, toolFns);
    this.orchestrationFunctions = { callModel, requestApproval, api, mcp };
    this.#connectSlack(props);
    const archive = props.auditArchive ? new AuditArchive(this, 'AuditArchive', props.auditArchive) : undefined;
    archive?.grantArchive(callModel);
    archive?.grantVerify(api);
    this.auditArchive = archive?.bucket;
    this.api = new AgentApi(this, 'Front', {
      apiFunction: api,
      mcpFunction: mcp,
      stateMachine: this.loop.stateMachine,
      tables: { runs: this.runs, audit: this.guardTables.audit, approvals: this.guardTables.approvals, guard: this.guardTables.guard },
      budgets: settings.budgets,
      logRetention: settings.logRetention,
      resolveSlackDeciders: settings.slack,
      ...(settings.escalation ? { extraGroups: [settings.escalation.group] } : {}),
      ...(props.mcpOAuth ? { mcpOAuth: props.mcpOAuth } : {}),
      ...(props.apiGatewayCloudWatchRole === undefined ? {} : { cloudWatchRole: props.apiGatewayCloudWatchRole }),
    });

    // 5. What is watched.
    this.dashboard = this.#watch(props, settings);
  }

  /** The dashboard and alarms: each tool's, the loop's, the approvals' and, where budgets alarm, the spend. */
  #watch(props: GuardedAgentProps, settings: AgentSettings): AgentDashboard {
    return new AgentDashboard(this, 'Watch', {
      tools: props.tools,
      stateMachine: this.loop.stateMachine,
      namespace: settings.metricsNamespace,
      service: 'guarded-agents',
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      spendLogs: {
        callModel: this.orchestrationFunctions.callModel.logGroup.logGroupName,
        tools: [...this.toolFunctions.values()].map((t) => t.function.logGroup.logGroupName),
      },
      budgetAlarm: props.spendBudgets?.limits.some((l) => l.alarmAt !== undefined) ?? false,
    });
  }

  /** Each function's Lambda entry, generated from the tool folders (the loop, the API and MCP offer exactly these tools). */
  #writeEntries(props: GuardedAgentProps, settings: AgentSettings): Map<string, string> {
    const folderOf = (tool: string) => this.toolFolderOf(tool);
    const { traced, archived } = settings;
    const toolPolicies = (tool: string) => (settings.policies ? { policies: settings.policies.forTool(tool) } : {});
    const entries = new Map(
      props.tools.map((tool) => [tool.name, writeToolEntry({ tool, folder: folderOf(tool.name), traced, ...toolPolicies(tool.name) })]),
    );
    const catalog = { tools: props.tools, folderOf };
    // With an audit archive, CallModel writes to it and the API reads it; without, their bundles carry no S3 client.
    // With policies, CallModel and MCP screen with them: the files are written into their entries.
    const policies = settings.policies ? { policies: settings.policies.sources } : {};
    entries.set(OrchestrationFunction.CALL_MODEL, writeFunctionEntry({ fn: 'callModel', catalog, traced, archived, ...policies }));
    entries.set(OrchestrationFunction.API, writeFunctionEntry({ fn: 'api', catalog, archived }));
    entries.set(OrchestrationFunction.MCP, writeFunctionEntry({ fn: 'mcp', catalog, ...policies }));
    entries.set(OrchestrationFunction.REQUEST_APPROVAL, writeFunctionEntry({ fn: 'requestApproval' }));
    return entries;
  }

  /** One `ToolFunction` per tool, in the `Tools` scope. */
  #toolFunctions(props: GuardedAgentProps, settings: AgentSettings): Map<string, ToolFunction> {
    const dataTables = new Map(
      this.dataTableSpecs.map((spec) => [spec.id, { table: this.dataTables.get(spec.id) as Table, envVar: spec.envVar }]),
    );
    const tools = new Construct(this, 'Tools');
    return new Map(
      props.tools.map((tool) => [
        tool.name,
        new ToolFunction(tools, tool.name, {
          tool,
          entry: this.entries.get(tool.name) as string,
          guardTables: this.guardTables,
          dataTables,
          ...(this.documents ? { documents: this.documents } : {}),
          ...(props.senderEmail ? { senderEmail: props.senderEmail } : {}),
          logRetention: settings.logRetention,
          guardHeadroom: settings.guardHeadroom,
          metricsNamespace: settings.metricsNamespace,
          informationFlow: settings.informationFlow,
          ...(settings.escalation ? { escalationGroup: settings.escalation.group } : {}),
          ...(settings.mcpServers.has(tool.name) ? { mcpServer: settings.mcpServers.get(tool.name) } : {}),
          ...(settings.policies ? { policies: settings.policies.forTool(tool.name) } : {}),
        }),
      ]),
    );
  }

  /** Slack's secret and channel, told to the functions that post to Slack or check its signatures. */
  #connectSlack(props: GuardedAgentProps): void {
    if (!this.slackSecret || !props.slack) return;
    const slackEnv = {
      [FunctionEnv.SLACK_SECRET_ARN.name]: this.slackSecret.secretArn,
      [FunctionEnv.SLACK_CHANNEL.name]: props.slack.channel,
    };
    const { requestApproval, api, callModel, mcp } = this.orchestrationFunctions;
    for (const fn of [requestApproval, api, callModel, mcp]) {
      this.slackSecret.grantRead(fn);
      for (const [name, value] of Object.entries(slackEnv)) fn.addEnvironment(name, value);
    }
  }
}
