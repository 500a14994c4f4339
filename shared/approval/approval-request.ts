/**
 * What is asked of a person when a call waits for one: the approval as recorded
 * (`DynamoDbApprovalStore.create`), and an approver's edit of its arguments.
 */

/** Who waits on an approval's decision: a Step Functions task, or nobody. */
export type ApprovalNotify = 'task' | 'none';

/** What `DynamoDbApprovalStore.create` records for a call that waits for a person. */
export interface NewApproval {
  readonly approvalId: string;
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly argsHash: string;
  readonly requestedBy: string;
  /** Redacted arguments, short (strings cut at 200): Slack, the list, the audit. */
  readonly summary: string;
  /** The arguments in full as the approver sees them (`shownArguments`, JSON), made from the object `argsHash` hashes. */
  readonly shown: string;
  /** The short form leaves something out: approving then needs the full view opened first (`markViewed`). */
  readonly shortened?: boolean;
  /** Why it needs approval, when not for being destructive (information flow). */
  readonly why?: string;
  /** Distinct approvers needed (the tool's `quorum`). @default 1 */
  readonly quorum?: number;
  /**
   * Who waits on the decision: a Step Functions task (`task`, the default: the decision answers its
   * token) or nobody (`none`: asked for over MCP, whose caller calls the tool again once decided).
   */
  readonly notify?: ApprovalNotify;
  /** The waiting task's token, for `notify: 'task'` only. Held here only: never in a message, URL, log line or API answer. */
  readonly taskToken?: string;
  /** Epoch seconds after which the approval can no longer be decided. */
  readonly expiresAt: number;
  /** Epoch milliseconds: when it was asked for (the trace's approval wait starts here). */
  readonly requestedAtMs: number;
  /** Epoch seconds from which the escalation group may decide it too. @default never */
  readonly escalateAt?: number;
}

/** An approver's change to a call's arguments, approved with it: the approval is re-bound to the new hash. */
export interface ApprovalEdit {
  /**
   * The edited arguments in full, as the tool's schema parsed them: the waiting execution runs the
   * call with them. Stored with the decision, so that a delivery made later (the sweep) sends them too.
   */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** The hash of the canonical edited arguments (as the tool's schema parsed them). */
  readonly argsHash: string;
  /** The edited arguments, redacted, for the record and the audit. */
  readonly summary: string;
  /** The edited arguments in full as shown (`shownArguments`, JSON), and whether the short form cuts them. */
  readonly shown: string;
  readonly shortened: boolean;
  /** The approval as the approver saw it: its hash conditions the write (the arguments asked for are the ones edited). */
  readonly from: { readonly argsHash: string; readonly summary: string };
}
