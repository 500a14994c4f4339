import type { ModelScript } from '../model/index.ts';
import type { CallStatus, ErrorCode, ToolResult } from '../tool-result/index.ts';
import type { RunApproval, UntrustedSource } from '../tool/index.ts';

/** What a run may spend, each cap optional: tool calls asked for, model tokens (input + output), model cost in dollars. */
export interface RunBudget {
  readonly toolCalls?: number;
  readonly tokens?: number;
  readonly usd?: number;
}

/**
 * RUNNING -> (WAITING_FOR_APPROVAL <-> RUNNING)* -> SUCCEEDED | MAX_ITERATIONS | FAILED.
 * Terminal states never change again.
 */
export const RunStatus = {
  RUNNING: 'RUNNING',
  WAITING_FOR_APPROVAL: 'WAITING_FOR_APPROVAL',
  SUCCEEDED: 'SUCCEEDED',
  MAX_ITERATIONS: 'MAX_ITERATIONS',
  /** The run stopped before the model call or tool calls that would have overspent its budget. */
  BUDGET_EXHAUSTED: 'BUDGET_EXHAUSTED',
  FAILED: 'FAILED',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

export const TERMINAL_STATUSES: ReadonlySet<RunStatus> = new Set([
  RunStatus.SUCCEEDED,
  RunStatus.MAX_ITERATIONS,
  RunStatus.BUDGET_EXHAUSTED,
  RunStatus.FAILED,
]);

/**
 * A run's record: who asked what, its status and iteration, its budget and spend, its label and
 * its output.
 */
export interface RunRecord {
  readonly runId: string;
  /** The authenticated caller: from the authorizer, never from the request body. */
  readonly owner: string;
  readonly groups: readonly string[];
  /** The caller's tenant, where the deployment keeps budgets per tenant (from a group or a claim of the token). */
  readonly tenant?: string;
  readonly input: string;
  readonly maxIterations: number;
  readonly iteration: number;
  readonly status: RunStatus;
  readonly output?: string;
  /** A scripted model (local mode, or stacks that allow it); absent: the configured provider. */
  readonly script?: ModelScript;
  /** How many tool calls the model asked for so far, refused ones included. */
  readonly callCount?: number;
  /** The declared tools the model asked for so far, each once, in the order first asked (GET /runs filters on it). */
  readonly tools?: readonly string[];
  /** What the model calls of this run cost, as the provider reported it (absent until one reports usage). */
  readonly usage?: RunUsage;
  /**
   * The run's information-flow label: the first call that brought untrusted content into its
   * conversation. From then on, its calls to sinks need approval (or are refused). Never removed.
   */
  readonly untrusted?: UntrustedSource;
  /**
   * What the policies read beyond the run itself when its current turn was screened (the approvals
   * given, the user's calls in the last hour): kept so a repeated step screens exactly as the first.
   */
  readonly screenedWith?: ScreeningFacts;
  /** What the run may spend (the caller's caps, never above the deployment's); absent: no caps. */
  readonly budget?: RunBudget;
  /** Whose budget ended the run (`BUDGET_EXHAUSTED`), and why. */
  readonly stoppedBy?: StoppedBy;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The budget that stopped a run: the run's own, or the user's or tenant's over a day or month. */
export interface StoppedBy {
  readonly kind: 'run' | 'user' | 'tenant';
  /** The budget, named: "its budget of 3 tool calls", "user uma's budget for 2026-11-30 (300 tokens)". */
  readonly budget: string;
  /** What would have exceeded it. */
  readonly reason: string;
}

/** What the policies of a turn's tools read from the audit trail, read once per turn and only where they do. */
export interface ScreeningFacts {
  /** Each yes an approver gave in the run (absent: not read, or the trail could not be read: a policy reading them refuses). */
  readonly approvals?: readonly RunApproval[];
  /** The user's calls of each of the turn's tools in the hour before the turn, by tool. */
  readonly lastHour?: Readonly<Record<string, number>>;
}

/** Model tokens a run has spent so far, summed over its model calls. */
export interface RunUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Model calls that reported usage. */
  readonly modelCalls: number;
}

/**
 * A run as it starts: at iteration 0, RUNNING, created and updated at `at`. The one shape the API
 * (`POST /runs`), the simulation and the tests store a new run in.
 *
 * @example
 * await runs.create(startingRun({ runId, owner: 'adam', groups: ['admin'], input: 'Email Jane', maxIterations: 10 }));
 */
export const startingRun = (run: Omit<RunRecord, 'iteration' | 'status' | 'createdAt' | 'updatedAt'>, at: Date = new Date()): RunRecord => {
  const now = at.toISOString();
  return { ...run, iteration: 0, status: RunStatus.RUNNING, createdAt: now, updatedAt: now };
};

/** The run's usage with one more model call's added; unchanged when the provider reported none. */
export const addUsage = (
  usage: RunUsage | undefined,
  turn: { readonly inputTokens: number; readonly outputTokens: number } | undefined,
): RunUsage | undefined =>
  turn
    ? {
        inputTokens: (usage?.inputTokens ?? 0) + turn.inputTokens,
        outputTokens: (usage?.outputTokens ?? 0) + turn.outputTokens,
        modelCalls: (usage?.modelCalls ?? 0) + 1,
      }
    : usage;

/** What `GET /runs/{id}` shows of each call. */
export interface CallRecord {
  /** Ours, stable across retries (`c<iteration>-<n>`): the idempotency key. */
  readonly callId: string;
  /** The model's own id for the call, used to hand the result back to it. */
  readonly modelCallId: string;
  readonly tool: string;
  readonly iteration: number;
  readonly status: CallStatus;
  readonly code?: ErrorCode;
  readonly durationMs?: number;
  /** Kept for calls refused at screening, whose result never passes through the state machine. */
  readonly result?: ToolResult;
}
