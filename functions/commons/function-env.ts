import { INFORMATION_FLOW_ENV } from './flow-mode.ts';

/**
 * The environment variables the construct sets and the functions read, named once for both sides
 * (tables name theirs in their TableSpec, a tool's other resources in ResourceEnv).
 */
export const FunctionEnv = {
  /** CallModel and the API (MCP's tools/call): tool name -> deployed function name, as JSON. */
  TOOL_FUNCTIONS: 'TOOL_FUNCTIONS',
  /** CallModel and the API: whether a run may carry a scripted model (`true`/`false`). */
  ALLOW_SCRIPTED_MODEL: 'ALLOW_SCRIPTED_MODEL',
  /** RequestApproval and the API (approvals asked for over MCP): how long an approval waits, in seconds. */
  APPROVAL_TIMEOUT_SECONDS: 'APPROVAL_TIMEOUT_SECONDS',
  /** The API: the state machine it starts runs on. */
  STATE_MACHINE_ARN: 'STATE_MACHINE_ARN',
  /** The API, with Slack on: the user pool Slack deciders are resolved in. */
  USER_POOL_ID: 'USER_POOL_ID',
  /** With Slack on: the secret holding the Slack app's signing secret and bot token, and the channel. */
  SLACK_SECRET_ARN: 'SLACK_SECRET_ARN',
  SLACK_CHANNEL: 'SLACK_CHANNEL',
  /** CallModel: `bedrock` (with BEDROCK_MODEL_ID) or `openai-compatible` (with the OPENAI_ ones). */
  MODEL_PROVIDER: 'MODEL_PROVIDER',
  BEDROCK_MODEL_ID: 'BEDROCK_MODEL_ID',
  OPENAI_BASE_URL: 'OPENAI_BASE_URL',
  OPENAI_MODEL: 'OPENAI_MODEL',
  OPENAI_TOKEN_LIMIT_FIELD: 'OPENAI_TOKEN_LIMIT_FIELD',
  /** Deployed: the secret holding the bare key; locally the key itself may be in OPENAI_API_KEY. */
  OPENAI_API_KEY_SECRET_ARN: 'OPENAI_API_KEY_SECRET_ARN',
  OPENAI_API_KEY: 'OPENAI_API_KEY',
  /** With tracing on, the functions that make spans (the tools, CallModel): `true` sends them to X-Ray's OTLP endpoint. */
  TRACES_TO_XRAY: 'TRACES_TO_XRAY',
  /** With tracing to a collector that wants headers (an API key): the secret holding them, as OTEL_EXPORTER_OTLP_HEADERS would. */
  OTLP_HEADERS_SECRET_ARN: 'OTLP_HEADERS_SECRET_ARN',
  /** With `auditArchive` on, CallModel (writes) and the API (reads, for verify): the Object Lock bucket of finished runs' chains. */
  AUDIT_ARCHIVE_BUCKET: 'AUDIT_ARCHIVE_BUCKET',
  /** CallModel and sinks: what a sink's call becomes once a run carries untrusted content (`approve`, `refuse`, `off`). */
  INFORMATION_FLOW: INFORMATION_FLOW_ENV,
  /** The API: the deployment's caps on every run (JSON `{ toolCalls?, tokens?, usd? }`); a run's own budget can only lower them. */
  RUN_BUDGET: 'RUN_BUDGET',
  /** CallModel and the API: the model's prices (JSON `{ inputPerMillion, outputPerMillion }`, dollars), for budgets in dollars. */
  MODEL_PRICES: 'MODEL_PRICES',
  /** CallModel and the API: budgets per user and per tenant over days and months (JSON, GuardedAgent's `spendBudgets`). */
  SPEND_BUDGETS: 'SPEND_BUDGETS',
  /** The API, with MCP's OAuth flow on: the user pool's issuer and the scope `/mcp` asks for (its protected-resource metadata). */
  MCP_OAUTH_ISSUER: 'MCP_OAUTH_ISSUER',
  MCP_OAUTH_SCOPES: 'MCP_OAUTH_SCOPES',
  /** The MCP function: how long a user's information-flow label lasts after the last untrusted content, in seconds. */
  MCP_LABEL_SECONDS: 'MCP_LABEL_SECONDS',
} as const;
