/**
 * Every environment variable the construct sets and the functions read, with its type, as one
 * table: import it as `import * as FunctionEnv from './function-env.ts'`; the construct writes
 * `FunctionEnv.X.name`, a function reads `FunctionEnv.X.read(env)` at cold start. Each variable is a
 * pure declaration of its own, so a bundle carries only the variables (and schemas) its function
 * reads. (Tables name theirs in their TableSpec, a tool's other resources in ResourceEnv.)
 */
import * as z from 'zod/mini';
import { approvalEscalationSchema } from '../../../shared/approval/index.ts';
import { spendBudgetsSchema } from '../../../shared/budgets/index.ts';
import { FlowMode } from '../../../shared/guards/index.ts';
import { TOKEN_LIMIT_FIELDS } from '../../../shared/model/index.ts';
import { modelPricesSchema, runBudgetSchema } from '../../../shared/runs/index.ts';
import { flag, json, oneOf, requiredJson, requiredSeconds, requiredText, seconds, text, textOr } from './env-var.ts';

const FLOW_MODES: readonly FlowMode[] = [FlowMode.APPROVE, FlowMode.REFUSE, FlowMode.OFF];

/** CallModel and MCP: tool name -> deployed function name. */
export const TOOL_FUNCTIONS = /* @__PURE__ */ requiredJson(
  'TOOL_FUNCTIONS',
  /* @__PURE__ */ z.record(/* @__PURE__ */ z.string(), /* @__PURE__ */ z.string()),
);
/** CallModel and the API: whether a run may carry a scripted model. */
export const ALLOW_SCRIPTED_MODEL = /* @__PURE__ */ flag('ALLOW_SCRIPTED_MODEL');
/** RequestApproval and MCP (approvals asked for over MCP): how long an approval waits. */
export const APPROVAL_TIMEOUT_SECONDS = /* @__PURE__ */ requiredSeconds('APPROVAL_TIMEOUT_SECONDS');
/** The API: the state machine it starts runs on. */
export const STATE_MACHINE_ARN = /* @__PURE__ */ requiredText('STATE_MACHINE_ARN');
/** The API, with Slack on: the user pool Slack deciders are resolved in. */
export const USER_POOL_ID = /* @__PURE__ */ requiredText('USER_POOL_ID');
/** With Slack on: the secret holding the Slack app's signing secret and bot token, and the channel. */
export const SLACK_SECRET_ARN = /* @__PURE__ */ text('SLACK_SECRET_ARN');
export const SLACK_CHANNEL = /* @__PURE__ */ textOr('SLACK_CHANNEL', '');
/** CallModel: `bedrock` (with BEDROCK_MODEL_ID) or `openai-compatible` (with the OPENAI_ ones). */
export const MODEL_PROVIDER = /* @__PURE__ */ oneOf('MODEL_PROVIDER', ['bedrock', 'openai-compatible'], 'bedrock');
export const BEDROCK_MODEL_ID = /* @__PURE__ */ requiredText('BEDROCK_MODEL_ID');
export const OPENAI_BASE_URL = /* @__PURE__ */ text('OPENAI_BASE_URL');
export const OPENAI_MODEL = /* @__PURE__ */ text('OPENAI_MODEL');
export const OPENAI_TOKEN_LIMIT_FIELD = /* @__PURE__ */ oneOf('OPENAI_TOKEN_LIMIT_FIELD', TOKEN_LIMIT_FIELDS, 'max_completion_tokens');
/** Deployed: the secret holding the bare key; locally the key itself may be in OPENAI_API_KEY. */
export const OPENAI_API_KEY_SECRET_ARN = /* @__PURE__ */ text('OPENAI_API_KEY_SECRET_ARN');
export const OPENAI_API_KEY = /* @__PURE__ */ text('OPENAI_API_KEY');
/** With tracing on, the functions that make spans (the tools, CallModel): send them to X-Ray's OTLP endpoint. */
export const TRACES_TO_XRAY = /* @__PURE__ */ flag('TRACES_TO_XRAY');
/** With tracing to a collector that wants headers (an API key): the secret holding them, as OTEL_EXPORTER_OTLP_HEADERS would. */
export const OTLP_HEADERS_SECRET_ARN = /* @__PURE__ */ text('OTLP_HEADERS_SECRET_ARN');
/** With `auditArchive` on, CallModel (writes) and the API (reads, for verify): the Object Lock bucket of finished runs' chains. */
export const AUDIT_ARCHIVE_BUCKET = /* @__PURE__ */ requiredText('AUDIT_ARCHIVE_BUCKET');
/** CallModel, MCP and sinks: what a sink's call becomes once a run carries untrusted content. Absent: `approve`. */
export const INFORMATION_FLOW = /* @__PURE__ */ oneOf('INFORMATION_FLOW', FLOW_MODES, FlowMode.APPROVE);
/** The API: the deployment's caps on every run (`{ toolCalls?, tokens?, usd? }`); a run's own budget can only lower them. */
export const RUN_BUDGET = /* @__PURE__ */ json('RUN_BUDGET', runBudgetSchema);
/** CallModel and the API: the model's prices (`{ inputPerMillion, outputPerMillion }`, dollars), for budgets in dollars. */
export const MODEL_PRICES = /* @__PURE__ */ json('MODEL_PRICES', modelPricesSchema);
/** CallModel, MCP and the API: budgets per user and per tenant over days and months (GuardedAgent's `spendBudgets`). */
export const SPEND_BUDGETS = /* @__PURE__ */ json('SPEND_BUDGETS', spendBudgetsSchema);
/** RequestApproval and the API: GuardedAgent's `approvalEscalation`. */
export const APPROVAL_ESCALATION = /* @__PURE__ */ json('APPROVAL_ESCALATION', approvalEscalationSchema);
/** Tools that check approvals: the escalation group alone (its members' decisions count once escalated). */
export const APPROVAL_ESCALATION_GROUP = /* @__PURE__ */ text('APPROVAL_ESCALATION_GROUP');
/** The API, with MCP's OAuth flow on: the user pool's issuer and the scopes `/mcp` asks for (its protected-resource metadata). */
export const MCP_OAUTH_ISSUER = /* @__PURE__ */ text('MCP_OAUTH_ISSUER');
export const MCP_OAUTH_SCOPES = /* @__PURE__ */ requiredText('MCP_OAUTH_SCOPES');
/** The MCP function: how long a user's information-flow label lasts after the last untrusted content. */
export const MCP_LABEL_SECONDS = /* @__PURE__ */ seconds('MCP_LABEL_SECONDS');
/** Every function's metrics: Powertools' own namespace variable, which the construct sets. */
export const POWERTOOLS_METRICS_NAMESPACE = /* @__PURE__ */ textOr('POWERTOOLS_METRICS_NAMESPACE', 'GuardedAgents');
