import type { ToolInvocation } from '../../../shared/tool/index.ts';
import type { ToolReceipt, ToolResult } from '../../../shared/tool-result/index.ts';

/** One call the state machine invokes a tool function for. */
export interface ExecuteItem {
  readonly functionName: string;
  readonly invocation: ToolInvocation;
}

/** One destructive call that waits for a person first. */
export interface ApproveItem extends ExecuteItem {
  /** Redacted arguments, for the approver. */
  readonly summary: string;
  /** Why a call that is not destructive waits for a person (information flow). */
  readonly why?: string;
  /** What the call will do, for the approver: the tool's risk class and whether its action can be undone. */
  readonly effect?: { readonly risk: string; readonly reversible: boolean };
  /** Distinct approvers the call needs (the tool's `quorum`), when more than one. */
  readonly quorum?: number;
}

/**
 * A tool function's answer to the state machine: its result or receipt, naming the call it
 * answers (the crash state names the call it caught). CallModel pairs answers with calls by it.
 */
export type CallAnswer = (ToolResult | ToolReceipt) & { readonly callId?: string };

/** What a decision hands the waiting approval state (the task's output, `$.decision`). */
export interface ApprovalTaskOutput {
  readonly approvalId: string;
  readonly decision: string;
  /** Edit, then approve: the arguments the call runs with instead (the state machine puts them in its invocation). */
  readonly arguments?: Readonly<Record<string, unknown>>;
}

/** What an approval branch hands back: its item, with the tool's result or the denial/expiry as a result. */
export interface ApprovalOutcome {
  readonly invocation: { readonly callId: string };
  /** The approver's decision; absent when nobody decided in time. Only `approve` invokes the tool. */
  readonly decision?: Partial<ApprovalTaskOutput>;
  readonly outcome: { readonly result: CallAnswer };
}

/**
 * The state the machine carries between states: ids and the current turn's calls only. The
 * conversation itself stays in DynamoDB, so the payload stays small however long the run gets.
 */
export interface LoopState {
  readonly runId: string;
  /** The run's iteration when CallModel produced this state (absent: the execution's input, iteration 0). */
  readonly iteration?: number;
  readonly done?: boolean;
  readonly execute?: readonly ExecuteItem[];
  readonly approve?: readonly ApproveItem[];
  /** The answers to `execute` (the Map's output), each naming its call. */
  readonly executed?: ReadonlyArray<{ readonly result: CallAnswer }>;
  readonly approvals?: readonly ApprovalOutcome[];
  /** Set by the state machine's catch: the run failed outside the model's control. */
  readonly failed?: boolean;
}
