import {
  type ApprovalEscalation,
  type DynamoDbApprovalStore,
  type DynamoDbDecisionOutbox,
  type SlackDeciderResolver,
  type StoredApproval,
} from '../../shared/approval/index.ts';
import { type SpanRecord } from '../../shared/tracing/index.ts';
import { type DynamoDbAuditStore, type S3AuditArchive } from '../../shared/audit/index.ts';
import { type DynamoDbBucketStore } from '../../shared/rate-limit/index.ts';
import { type DynamoDbRunStore, type ModelPrices, type RunBudget } from '../../shared/runs/index.ts';
import { type BucketLimit, type ToolRegistry } from '../../shared/tool/index.ts';
import type { SpendBudgets, SpendGuard } from '../../shared/budgets/index.ts';
import type { ApiRequest, ApiResponse, Identity } from './api-types.ts';
import type { DynamoDbMcpLabelStore } from './mcp/mcp-label-store.ts';
import { type McpAuthorization } from './mcp/protected-resource.ts';
import type { ApprovalTaskOutput } from '../orchestration/call-model/loop-state.ts';

/**
 * What the HTTP API's routes work with: the stores, the state machine's start and task answers,
 * the registry and the deployment's settings. The local system builds it (`LocalSystem.deps`);
 * `createApiServer` serves it.
 */
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
  /** Decisions stored but not known to have reached their execution: the API marks what it delivered, the sweep delivers the rest. */
  readonly decisions: DynamoDbDecisionOutbox;
  /** GuardedAgent's `approvalEscalation`: who else may see and decide approvals that waited long. @default none */
  readonly escalation?: ApprovalEscalation;
  /** Buckets for the per-user limit on starting runs. */
  readonly runBuckets: DynamoDbBucketStore;
  readonly registry: ToolRegistry;
  /** Starts the loop's execution, named after the run id. */
  readonly startExecution: (runId: string) => Promise<void>;
  /** Resumes a waiting execution; the token never leaves the server. */
  readonly sendTaskSuccess: (taskToken: string, output: ApprovalTaskOutput) => Promise<void>;
  /** The tools among these whose breaker is open now (left out of `GET /tools`). */
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
  /** A new run's id. */
  readonly newRunId: () => string;
  /**
   * MCP at `/mcp` (absent: 404). Injected: the MCP SDK stays out of this function's bundle (deployed,
   * `/mcp` has a function of its own, functions/api/mcp/handler.ts).
   */
  readonly mcp?: {
    /** Answers one `/mcp` request of an authenticated caller. */
    readonly handle: (request: AuthenticatedRequest) => Promise<ApiResponse>;
  };
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
