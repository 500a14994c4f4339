import { collectSecretValues, redact } from '../redaction/index.ts';
import type { Attempt } from '../plumbing/index.ts';
import type { PolicyRecord } from '../policies/index.ts';
import { CallStatus, statusOfCode, type ErrorCode } from '../tool-result/index.ts';
import { MAX_RUN_APPROVALS, type RunApproval } from '../tool/index.ts';

/**
 * An attempt whose Lambda ended while it held the call (a crash, a kill, a timeout), found by the
 * attempt after it: its effect may or may not have happened, and the call was run again.
 */
export const INTERRUPTED = 'interrupted';

/**
 * What an audit record says happened: a call's outcome, a person's decision on its approval (or a
 * decision refused: `decision-refused`, with the reason in its result), a user's MCP label cleared
 * by a person (`label-cleared`), or an interrupted attempt.
 */
export type AuditStatus = CallStatus | 'approved' | 'delegated' | 'decision-refused' | 'label-cleared' | typeof INTERRUPTED;

/** One record per attempt at a tool call, whatever its outcome, and one per approval decision. Everything in it is redacted. */
export interface AuditRecord {
  readonly runId: string;
  readonly callId: string;
  /** The Lambda request id: unique per attempt, so retries are separate records. */
  readonly attemptId: string;
  readonly tool: string;
  /** The caller for an attempt; the approver for a decision. */
  readonly userId: string;
  readonly status: AuditStatus;
  readonly code?: ErrorCode;
  readonly durationMs: number;
  /** ISO-8601 time the attempt started. */
  readonly at: string;
  readonly arguments: unknown;
  /** Short redacted summary of what the model got back. */
  readonly result: string;
  readonly approvalId?: string;
  /** This attempt's failure opened the tool's breaker. */
  readonly breakerOpened?: true;
  /** The version of the tool's declaration in force (`declarationVersion`): the policy that judged the call. */
  readonly declaration?: string;
  /** The run's information-flow label when the call was made: `<tool> <callId>` of the call that brought untrusted content in. */
  readonly untrustedFrom?: string;
  /** A decision that changed the call's arguments: what was asked for and what was approved (both redacted); the decider changed them. */
  readonly edited?: { readonly from: string; readonly to: string };
  /** In a deployment with policies: the set's hash, what it decided and by which policies, and the caller's groups (docs/policies.md). */
  readonly policy?: PolicyRecord;
}

export interface AuditFacts {
  readonly runId: unknown;
  readonly callId: unknown;
  readonly attemptId: string;
  readonly tool: string;
  readonly userId: unknown;
  readonly status: CallStatus | typeof INTERRUPTED;
  readonly code?: ErrorCode;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly arguments: unknown;
  readonly result: unknown;
  readonly approvalId?: unknown;
  readonly breakerOpened?: boolean;
  readonly declaration?: string;
  /** The run's label as the call carried it (from the invocation: checked here, not trusted). */
  readonly untrusted?: unknown;
  readonly policy?: PolicyRecord;
}

export const RESULT_SUMMARY_LIMIT = 1024;

/**
 * Attempt ids of the records that are not a tool function's own attempt (whose id is its Lambda
 * request id): a person's decision, a call refused at screening, an approval that expired. Fixed by
 * what they record, so writing one again overwrites it instead of adding one.
 */
export const attemptIdOf = {
  decision: (approvalId: string) => `decision-${approvalId}`,
  screening: (callId: string) => `screening-${callId}`,
  expired: (approvalId: string) => `expired-${approvalId}`,
  /** A user's MCP information-flow label cleared by a person, at that time (epoch ms). */
  labelCleared: (at: number) => `label-cleared-${at}`,
  /** A tool function that died before it claimed the call (so before it could record or do anything). */
  crashed: (callId: string) => `crashed-${callId}`,
} as const;

/** Whether a record is an attempt that reached the tool's function (it has a duration, it counts for the tool). */
export const reachedTool = (record: Pick<AuditRecord, 'attemptId'>): boolean =>
  !/^(decision|screening|expired|label-cleared)-/.test(record.attemptId);

/** Whether a record is an approver's decision (approved or denied), not an attempt at the call. */
export const isDecision = (record: Pick<AuditRecord, 'attemptId'>): boolean => record.attemptId.startsWith('decision-');

/** Outcomes of an attempt whose handler ran: what `context.lastHour` counts (not a replay, a refusal or a crash the next attempt ran again). */
const RAN: ReadonlySet<string> = new Set([CallStatus.EXECUTED, CallStatus.FAILED, CallStatus.TIMED_OUT]);

/** Whether a record is an attempt whose handler ran: one call made, whatever it answered. */
export const ranHandler = (record: Pick<AuditRecord, 'attemptId' | 'status'>): boolean => reachedTool(record) && RAN.has(record.status);

/** The key a call that ran is filed under in the index `context.lastHour` counts (a tool's name has no `#`, so it reads one way). */
export const callerToolKey = (tool: string, userId: string): string => `${tool}#${userId}`;

/**
 * Each yes an approver gave, in a run's records (a quorum's votes one each): for which tool, by
 * whom. Undefined when there are more than an invocation carries: left out, so a policy that reads
 * them refuses rather than decide on part of them.
 */
export const approvalsGiven = (records: readonly AuditRecord[]): RunApproval[] | undefined => {
  const given = records.filter((r) => isDecision(r) && r.status === 'approved').map((r) => ({ tool: r.tool, by: r.userId }));
  return given.length <= MAX_RUN_APPROVALS ? given : undefined;
};

// Envelope fields may be malformed on a refused attempt: keep the record, not the garbage.
const idOr = (value: unknown, fallback: string): string =>
  typeof value === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(value) ? value : fallback;

/** Builds the record from what happened. Pure: redaction happens here, before any store sees it. */
export const buildAuditRecord = (facts: AuditFacts): AuditRecord => {
  const knownSecrets = collectSecretValues(facts.arguments);
  const summary = JSON.stringify(redact(facts.result, { maxString: 200, maxItems: 10, maxDepth: 4, knownSecrets })) ?? 'null';
  const approvalId = facts.approvalId === undefined ? undefined : idOr(facts.approvalId, 'invalid');
  return {
    runId: idOr(facts.runId, 'invalid'),
    callId: idOr(facts.callId, 'invalid'),
    attemptId: facts.attemptId,
    tool: facts.tool,
    userId: idOr(facts.userId, 'invalid'),
    status: facts.status,
    ...(facts.code === undefined ? {} : { code: facts.code }),
    durationMs: Math.max(0, Math.round(facts.endedAt - facts.startedAt)),
    at: new Date(facts.startedAt).toISOString(),
    arguments: redact(facts.arguments, { knownSecrets }),
    result: summary.length > RESULT_SUMMARY_LIMIT ? `${summary.slice(0, RESULT_SUMMARY_LIMIT)}…` : summary,
    ...(approvalId === undefined ? {} : { approvalId }),
    ...(facts.breakerOpened ? { breakerOpened: true as const } : {}),
    ...(facts.declaration === undefined ? {} : { declaration: facts.declaration }),
    ...labelOf(facts.untrusted),
    ...(facts.policy ? { policy: facts.policy } : {}),
  };
};

/** `{ untrustedFrom }` from a run's label, for a record; nothing when there is none or it is malformed. */
const labelOf = (untrusted: unknown): { untrustedFrom?: string } => {
  const { tool, callId } = (untrusted ?? {}) as { tool?: unknown; callId?: unknown };
  return typeof tool === 'string' && typeof callId === 'string'
    ? { untrustedFrom: `${idOr(tool, 'invalid')} ${idOr(callId, 'invalid')}` }
    : {};
};

/** A call refused at screening, before any tool function (the loop's step, or MCP's tools/call): keyed by its call, so writing it again overwrites it. */
export const buildScreeningRecord = (facts: {
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly userId: string;
  readonly code: ErrorCode;
  readonly at: number;
  readonly arguments: unknown;
  readonly result: unknown;
  readonly declaration?: string;
  readonly untrusted?: unknown;
  readonly policy?: PolicyRecord;
}): AuditRecord =>
  buildAuditRecord({
    runId: facts.runId,
    callId: facts.callId,
    attemptId: attemptIdOf.screening(facts.callId),
    tool: facts.tool,
    userId: facts.userId,
    status: statusOfCode[facts.code],
    code: facts.code,
    startedAt: facts.at,
    endedAt: facts.at,
    arguments: facts.arguments,
    result: facts.result,
    ...(facts.declaration === undefined ? {} : { declaration: facts.declaration }),
    ...(facts.untrusted ? { untrusted: facts.untrusted } : {}),
    ...(facts.policy ? { policy: facts.policy } : {}),
  });

/** An attempt that ended without writing its own record, as found later (see PreviousAttempt in idempotency). */
export interface RecoveredAttemptFacts {
  readonly runId: unknown;
  readonly callId: unknown;
  readonly tool: string;
  readonly userId: unknown;
  readonly arguments: unknown;
  readonly approvalId?: unknown;
  readonly attempt: Attempt;
  /** executed: its result was stored before it died; interrupted: it died holding the call. */
  readonly outcome: 'executed' | 'interrupted';
  readonly endedAt?: number;
  readonly result?: unknown;
  readonly declaration?: string;
}

/**
 * The record an attempt would have written itself, written by whoever finds it crashed: under the
 * attempt's own id and start, so it lands on the attempt's own key (written once, whoever is first).
 */
export const buildRecoveredAttemptRecord = (facts: RecoveredAttemptFacts): AuditRecord =>
  buildAuditRecord({
    runId: facts.runId,
    callId: facts.callId,
    attemptId: facts.attempt.attemptId,
    tool: facts.tool,
    userId: facts.userId,
    status: facts.outcome === 'executed' ? CallStatus.EXECUTED : INTERRUPTED,
    startedAt: facts.attempt.startedAt,
    endedAt: facts.endedAt ?? facts.attempt.startedAt,
    arguments: facts.arguments,
    ...(facts.approvalId === undefined ? {} : { approvalId: facts.approvalId }),
    ...(facts.declaration === undefined ? {} : { declaration: facts.declaration }),
    result:
      facts.outcome === 'executed'
        ? facts.result
        : { outcome: 'unknown: the attempt ended before it recorded one; its effect may have happened' },
  });

export interface DecisionFacts {
  readonly approvalId: string;
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly decider: string;
  /** `delegate`: an approver handed the approval to `delegatedTo` (who may then decide it). */
  readonly decision: 'approve' | 'deny' | 'delegate';
  readonly delegatedTo?: string;
  readonly reason?: string;
  readonly summary: string;
  readonly at: number;
  readonly declaration?: string;
  /** With a quorum: each approver's vote is a record of its own, keyed by the voter. */
  readonly voter?: string;
  /** The approver changed the arguments: what was asked for (redacted); `summary` is what was approved. */
  readonly editedFrom?: string;
  /** The decision was refused (the person could not decide it so): why, as the refusal's reason code. Nothing changed. */
  readonly refused?: string;
}

/** The audit record of an approval decision: who decided what on which call, and why. */
export const buildDecisionRecord = (facts: DecisionFacts): AuditRecord => ({
  runId: idOr(facts.runId, 'invalid'),
  callId: idOr(facts.callId, 'invalid'),
  attemptId: facts.refused
    ? // Each refused try is a record of its own: a person refused twice tried twice.
      `${attemptIdOf.decision(facts.approvalId)}.refused.${idOr(facts.decider, 'invalid')}.${facts.at}`
    : facts.voter
      ? `${attemptIdOf.decision(facts.approvalId)}.${idOr(facts.voter, 'invalid')}`
      : facts.decision === 'delegate'
        ? `${attemptIdOf.decision(facts.approvalId)}.to.${idOr(facts.delegatedTo, 'invalid')}`
        : attemptIdOf.decision(facts.approvalId),
  tool: facts.tool,
  userId: idOr(facts.decider, 'invalid'),
  status: facts.refused
    ? 'decision-refused'
    : facts.decision === 'approve'
      ? 'approved'
      : facts.decision === 'delegate'
        ? 'delegated'
        : 'denied',
  durationMs: 0,
  at: new Date(facts.at).toISOString(),
  arguments: facts.summary,
  result: JSON.stringify(
    redact({
      decision: facts.decision,
      reason: facts.reason ?? '',
      ...(facts.delegatedTo ? { delegatedTo: facts.delegatedTo } : {}),
      ...(facts.refused ? { refused: facts.refused } : {}),
    }),
  ),
  approvalId: facts.approvalId,
  ...(facts.declaration === undefined ? {} : { declaration: facts.declaration }),
  ...(facts.editedFrom === undefined ? {} : { edited: { from: facts.editedFrom, to: facts.summary } }),
});

/** The run id a user's MCP label clearings are audited under: one trail per user, beside their sessions' (`mcp-<session>`). */
export const mcpLabelRunIdOf = (userId: string): string => `mcp-label.${userId}`;

export interface LabelClearedFacts {
  /** Whose label it was. */
  readonly userId: string;
  /** Who cleared it: the user themself or an admin. */
  readonly clearedBy: string;
  /** The label cleared: where untrusted content had come in. */
  readonly label: { readonly tool: string; readonly callId: string; readonly runId: string };
  /** Epoch milliseconds. */
  readonly at: number;
}

/** The audit record of a person clearing a user's MCP label: who, whose, which label, and why. */
export const buildLabelClearedRecord = (facts: LabelClearedFacts): AuditRecord => ({
  runId: idOr(mcpLabelRunIdOf(facts.userId), 'invalid'),
  callId: idOr(facts.label.callId, 'invalid'),
  attemptId: attemptIdOf.labelCleared(facts.at),
  tool: facts.label.tool,
  userId: idOr(facts.clearedBy, 'invalid'),
  status: 'label-cleared',
  durationMs: 0,
  at: new Date(facts.at).toISOString(),
  arguments: { user: idOr(facts.userId, 'invalid') },
  result: JSON.stringify(redact({ cleared: { ...facts.label } })),
  untrustedFrom: `${facts.label.tool} ${facts.label.callId}`,
});
