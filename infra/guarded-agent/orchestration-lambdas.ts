import { Duration, SecretValue } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { guardTableSpecs, orchestrationTableSpecs, type TableKey } from '../../shared/tables/index.ts';
import { mcpAccess } from '../../functions/api/mcp/access.ts';
import * as FunctionEnv from '../../functions/commons/env/function-env.ts';
import { UNFILLED_SLACK_SECRET } from '../../functions/commons/slack-config.ts';
import { callModelAccess } from '../../functions/orchestration/call-model/access.ts';
import { API_FUNCTION_TIMEOUT_SECONDS } from '../../functions/api/decision-delivery.ts';
import { MODEL_REQUEST_TIMEOUT_MS } from '../../functions/orchestration/call-model/call-model.ts';
import { requestApprovalAccess } from '../../functions/orchestration/request-approval/access.ts';
import { acknowledge } from '../nag-acknowledgements.ts';
import type { AgentSettings } from './agent-settings.ts';
import { grantBedrockModel } from './bedrock-grant.ts';
import type { GuardedAgentProps } from './guarded-agent-props.ts';
import { createNodeFunction } from './node-function.ts';
import { OrchestrationFunction } from './orchestration-functions.ts';
import { grantAccess } from './table-grants.ts';

/**
 * The loop's and the front door's functions, each built with its environment and its grants
 * beside it (as `ToolFunction` builds a tool's), in the `Orchestration` scope under the ids the
 * deployed functions' names and local mode know them by.
 */
export interface OrchestrationContext {
  readonly scope: Construct;
  readonly props: GuardedAgentProps;
  readonly settings: AgentSettings;
  readonly tables: Readonly<Record<TableKey, ITable>>;
  readonly entries: ReadonlyMap<string, string>;
  /** The tools' function names by tool, as a JSON string CloudFormation fills in. */
  readonly toolFunctionNames: string;
}

const entryOf = (context: OrchestrationContext, fn: OrchestrationFunction) => context.entries.get(fn) as string;

/** The model request, then the function, then the state machine's task: each outlasts the one before. */
export const CALL_MODEL_TIMEOUT = Duration.millis(MODEL_REQUEST_TIMEOUT_MS).plus(Duration.seconds(15));

/** CallModel: the model (Bedrock, or an OpenAI-compatible server and its key's secret), the run's stores. */
export const callModelFunction = (context: OrchestrationContext) => {
  const { scope, props, settings, tables } = context;
  const fn = createNodeFunction(scope, OrchestrationFunction.CALL_MODEL, {
    entry: entryOf(context, OrchestrationFunction.CALL_MODEL),
    description: 'Agent loop: calls the model and screens the calls it asks for',
    timeout: CALL_MODEL_TIMEOUT,
    memorySize: 512,
    cedar: settings.policies !== undefined,
    environment: {
      [orchestrationTableSpecs.runs.envVar]: tables.runs.tableName,
      [guardTableSpecs.guard.envVar]: tables.guard.tableName,
      [FunctionEnv.TOOL_FUNCTIONS.name]: context.toolFunctionNames,
      ...(props.openAiCompatible
        ? {
            [FunctionEnv.MODEL_PROVIDER.name]: 'openai-compatible',
            [FunctionEnv.OPENAI_BASE_URL.name]: props.openAiCompatible.baseUrl,
            [FunctionEnv.OPENAI_MODEL.name]: props.openAiCompatible.model,
            [FunctionEnv.OPENAI_TOKEN_LIMIT_FIELD.name]: props.openAiCompatible.tokenLimitField ?? 'max_completion_tokens',
          }
        : { [FunctionEnv.MODEL_PROVIDER.name]: 'bedrock', [FunctionEnv.BEDROCK_MODEL_ID.name]: settings.modelId }),
      [FunctionEnv.ALLOW_SCRIPTED_MODEL.name]: settings.allowScriptedModel,
      [FunctionEnv.INFORMATION_FLOW.name]: settings.informationFlow,
      ...(settings.budgetEnv.prices ? { [FunctionEnv.MODEL_PRICES.name]: settings.budgetEnv.prices } : {}),
      ...settings.spendEnv,
      // The loop's metrics go where the dashboard reads them.
      [FunctionEnv.POWERTOOLS_METRICS_NAMESPACE.name]: settings.metricsNamespace,
    },
    logRetention: settings.logRetention,
  });
  // Successful calls answer the state machine with a receipt; their data is read from the idempotency record.
  fn.addEnvironment(guardTableSpecs.idempotency.envVar, tables.idempotency.tableName);
  // Records the attempts that never reach a tool (refused at screening, approval expired), and
  // seals each run's records into its hash chain after every step (reads the run's records).
  fn.addEnvironment(guardTableSpecs.audit.envVar, tables.audit.tableName);
  // Marks approvals that ran out of time as expired.
  fn.addEnvironment(guardTableSpecs.approvals.envVar, tables.approvals.tableName);
  // Budgets over windows: their counters are items of the guard table, reserved and settled by CallModel.
  grantAccess(tables, fn, callModelAccess({ budgets: settings.budgets, slack: settings.slack, policies: settings.policies !== undefined }));
  const modelApiKey = props.openAiCompatible
    ? new Secret(scope, 'ModelApiKey', { description: 'API key of the OpenAI-compatible model server (the bare key)' })
    : undefined;
  if (modelApiKey) {
    acknowledge(
      modelApiKey,
      'AwsSolutions-SMG4',
      'The key is issued and rotated by the model provider, then pasted here; Secrets Manager cannot rotate it.',
    );
    modelApiKey.grantRead(fn);
    fn.addEnvironment(FunctionEnv.OPENAI_API_KEY_SECRET_ARN.name, modelApiKey.secretArn);
  } else {
    grantBedrockModel(fn, settings.modelId);
  }
  return { fn, modelApiKey };
};

/** The headers traced functions send their spans to the collector with, when `tracing.otlpHeaders` is on. */
export const tracingHeadersSecret = ({ scope, props }: OrchestrationContext): Secret | undefined => {
  if (!props.tracing?.otlpHeaders) return undefined;
  const secret = new Secret(scope, 'TracingHeaders', {
    description: 'Headers for the OTLP collector traces go to: fill in as OTEL_EXPORTER_OTLP_HEADERS, e.g. x-api-key=...',
  });
  acknowledge(
    secret,
    'AwsSolutions-SMG4',
    'The key is issued and rotated by the tracing backend, then pasted here; Secrets Manager cannot rotate it.',
  );
  return secret;
};

/**
 * A sweep: an EventBridge rule that sends `fn` the same event every minute. It needs no dead-letter
 * queue: a delivery that failed is made good by the next one (`why` says what makes that safe).
 */
const everyMinute = (
  scope: Construct,
  fn: NodejsFunction,
  id: string,
  sweep: { readonly description: string; readonly event: Record<string, unknown>; readonly why: string },
): void => {
  const rule = new Rule(scope, id, {
    description: sweep.description,
    schedule: Schedule.rate(Duration.minutes(1)),
    targets: [new LambdaTarget(fn, { event: RuleTargetInput.fromObject(sweep.event) })],
  });
  acknowledge(
    rule,
    'Serverless-EventBusDLQ',
    `The sweep carries no data and runs every minute: a delivery that failed is made good by the next one (${sweep.why}).`,
  );
};

/** RequestApproval: records approvals with their task token; where escalation is declared, the sweep that runs it every minute. */
export const requestApprovalFunction = (context: OrchestrationContext): NodejsFunction => {
  const { scope, settings, tables } = context;
  const fn = createNodeFunction(scope, OrchestrationFunction.REQUEST_APPROVAL, {
    entry: entryOf(context, OrchestrationFunction.REQUEST_APPROVAL),
    description: 'Agent loop: records an approval with its task token and tells approvers',
    timeout: Duration.seconds(10),
    environment: {
      [guardTableSpecs.approvals.envVar]: tables.approvals.tableName,
      [FunctionEnv.APPROVAL_TIMEOUT_SECONDS.name]: String(settings.approvalTimeout.toSeconds()),
      ...settings.escalationEnv,
      [FunctionEnv.POWERTOOLS_METRICS_NAMESPACE.name]: settings.metricsNamespace,
    },
    logRetention: settings.logRetention,
  });
  // The sweep lists pending approvals (a scan) and marks the ones past their escalateAt, every minute.
  grantAccess(tables, fn, requestApprovalAccess({ slack: settings.slack, escalation: settings.escalation !== undefined }));
  if (settings.escalation)
    everyMinute(scope, fn, 'EscalationSweep', {
      description: 'Offers approvals that waited too long to the escalation group',
      event: { sweep: true },
      why: 'marking is a conditional write, so nothing is told twice',
    });
  return fn;
};

/**
 * The Slack app's secret, when Slack is on: created in the shape the functions read, both fields
 * empty. Until the deployer fills them in, Slack is off and approvals go through the API (a random
 * string here would fail every cold start).
 */
export const slackSecret = ({ scope, props }: OrchestrationContext): Secret | undefined => {
  if (!props.slack) return undefined;
  const secret = new Secret(scope, 'SlackSecret', {
    description: 'Slack app for approvals: fill in JSON { "signingSecret": "...", "botToken": "xoxb-..." }',
    secretObjectValue: Object.fromEntries(Object.entries(UNFILLED_SLACK_SECRET).map(([k, v]) => [k, SecretValue.unsafePlainText(v)])),
  });
  acknowledge(
    secret,
    'AwsSolutions-SMG4',
    'Slack signing secrets and bot tokens are rotated in the Slack app, then pasted here; Secrets Manager cannot rotate them.',
  );
  return secret;
};

/** The HTTP API's function (its grants follow its routes: `AgentApi` gives them). */
export const apiFunction = (context: OrchestrationContext, stateMachineArn: string): NodejsFunction => {
  const { scope, settings, tables } = context;
  const fn = createNodeFunction(scope, OrchestrationFunction.API, {
    entry: entryOf(context, OrchestrationFunction.API),
    description: 'HTTP API: runs, audit, approvals, Slack interactions, tools',
    timeout: Duration.seconds(API_FUNCTION_TIMEOUT_SECONDS),
    environment: {
      [FunctionEnv.STATE_MACHINE_ARN.name]: stateMachineArn,
      [orchestrationTableSpecs.runs.envVar]: tables.runs.tableName,
      [guardTableSpecs.audit.envVar]: tables.audit.tableName,
      [guardTableSpecs.approvals.envVar]: tables.approvals.tableName,
      [guardTableSpecs.guard.envVar]: tables.guard.tableName,
      [FunctionEnv.ALLOW_SCRIPTED_MODEL.name]: settings.allowScriptedModel,
      ...(settings.budgetEnv.runBudget ? { [FunctionEnv.RUN_BUDGET.name]: settings.budgetEnv.runBudget } : {}),
      ...(settings.budgetEnv.prices ? { [FunctionEnv.MODEL_PRICES.name]: settings.budgetEnv.prices } : {}),
      ...settings.spendEnv,
      ...settings.escalationEnv,
      [FunctionEnv.POWERTOOLS_METRICS_NAMESPACE.name]: settings.metricsNamespace,
    },
    logRetention: settings.logRetention,
  });
  // Every minute, the decisions it stored but could not deliver (an outage longer than its retries,
  // a crash in between): delivered without their approver sending them again (decision-delivery.ts).
  everyMinute(scope, fn, 'DecisionDeliverySweep', {
    description: 'Delivers approval decisions the API stored but could not deliver to the waiting execution',
    event: { deliverDecisions: true },
    why: 'a decision stays marked until delivered',
  });
  return fn;
};

/**
 * MCP at /mcp: a function of its own (the MCP SDK stays out of the API's bundle). Its tools/call
 * waits for a tool's function: the longest of them, within API Gateway's 29 s.
 */
export const mcpFunction = (context: OrchestrationContext, toolFunctions: readonly NodejsFunction[]): NodejsFunction => {
  const { scope, settings, tables } = context;
  const fn = createNodeFunction(scope, OrchestrationFunction.MCP, {
    entry: entryOf(context, OrchestrationFunction.MCP),
    description: 'MCP (Streamable HTTP): the guarded tools for MCP clients',
    cedar: settings.policies !== undefined,
    timeout: Duration.seconds(Math.min(29, Math.max(10, ...toolFunctions.map((t) => (t.timeout?.toSeconds() ?? 3) + 3)))),
    environment: {
      [guardTableSpecs.guard.envVar]: tables.guard.tableName,
      [guardTableSpecs.audit.envVar]: tables.audit.tableName,
      [guardTableSpecs.approvals.envVar]: tables.approvals.tableName,
      [FunctionEnv.TOOL_FUNCTIONS.name]: context.toolFunctionNames,
      [FunctionEnv.APPROVAL_TIMEOUT_SECONDS.name]: String(settings.approvalTimeout.toSeconds()),
      [FunctionEnv.INFORMATION_FLOW.name]: settings.informationFlow,
      [FunctionEnv.MCP_LABEL_SECONDS.name]: String(settings.mcpLabelSeconds),
      ...settings.spendEnv,
    },
    logRetention: settings.logRetention,
  });
  // Breakers and the user's information-flow label read, approvals asked for and read, refusals
  // at screening audited, tools invoked by their exact ARN (unqualified: no version wildcard).
  // The user's label marked when untrusted content comes in (and, with budgets over windows, each
  // MCP call reserves a tool call on the caller's counters).
  grantAccess(tables, fn, mcpAccess({ budgets: settings.budgets, slack: settings.slack, policies: settings.policies !== undefined }));
  Grant.addToPrincipal({ grantee: fn, actions: ['lambda:InvokeFunction'], resourceArns: toolFunctions.map((t) => t.functionArn) });
  return fn;
};
