import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { SpendBudgets } from '../../shared/budgets/index.ts';
import type { FlowMode } from '../../shared/guards/index.ts';
import type { TokenLimitField } from '../../shared/model/index.ts';
import type { ModelPrices, RunBudget } from '../../shared/runs/index.ts';
import type { TableSpec } from '../../shared/tables/index.ts';
import type { AnyTool } from '../../shared/tool/index.ts';
import type { McpOAuthProps } from './agent-api.ts';
import type { AgentTracing } from './agent-tracing.ts';
import type { AuditArchiveProps } from './audit-archive.ts';
import type { McpServerConnection } from './mcp-servers.ts';

/** What a `GuardedAgent` is given; `resolveAgentSettings` works out each default once. */
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
  /**
   * How long an approver may decide a destructive call; after it the approvals store refuses every
   * decision (`409 EXPIRED`), and a minute later (`APPROVAL_TASK_GRACE_SECONDS`: the Step Functions
   * task's own timeout, a backstop after the store's) the call ends APPROVAL_EXPIRED. @default 1 hour
   */
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
   * A folder of Cedar policies (`*.cedar`, docs/policies.md): checked on every tool call when the
   * loop and MCP screen it. Validated at synth against the schema the tools generate (a policy that
   * does not parse, or names an unknown tool or argument, fails synth with its file and line), and
   * bundled with the functions that evaluate them; `npm start` reads the same files.
   * @default no policies
   */
  readonly policies?: string;
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
