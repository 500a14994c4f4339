import type { CompiledPolicySet, PolicyDecision, PolicyRecord } from './policy-set.ts';

/** What a replay reads of an audit record: the request as recorded, and what the policies in force decided. */
export interface ReplayedRecord {
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly userId: string;
  readonly at: string;
  readonly arguments: unknown;
  /** `<tool> <callId>` of the call that brought untrusted content into the run, when one had. */
  readonly untrustedFrom?: string;
  readonly policy?: PolicyRecord;
}

export type PolicyEffect = PolicyDecision['effect'];

/** One record the candidate set decides otherwise. */
export interface ReplayChange {
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly userId: string;
  readonly at: string;
  readonly was: PolicyEffect;
  readonly now: PolicyEffect;
  /** The candidate's deciding policies (or why its check failed). */
  readonly deciding: readonly string[];
  readonly error?: string;
}

export interface ReplayReport {
  /** Records replayed: each was decided under a policy set, and is decided again by the candidate. */
  readonly replayed: number;
  /** Records skipped because no policy set decided them (they predate policies, or were refused before the policies were asked). */
  readonly skipped: number;
  readonly unchanged: number;
  /** Newly refused (was permitted or asked approval, now forbidden). */
  readonly newlyRefused: readonly ReplayChange[];
  /** Newly allowed without a person (was forbidden or asked approval, now permitted). */
  readonly newlyAllowed: readonly ReplayChange[];
  /** Newly needing approval (was permitted, now asks; or was forbidden, now asks instead). */
  readonly newlyNeedApproval: readonly ReplayChange[];
  /** The policy sets that decided the replayed records, by hash, with how many each decided. */
  readonly decidedBy: Readonly<Record<string, number>>;
}

const labelOf = (untrustedFrom: string | undefined) => {
  const [tool, callId] = (untrustedFrom ?? '').split(' ');
  return tool && callId ? { tool, callId } : null;
};

/**
 * Replays recorded requests against a candidate policy set: each record a policy set decided is
 * decided again on what it recorded (the tool, the arguments as recorded, which are redacted where
 * they held secrets; the caller and their groups; the run's label; the record's time), and the
 * report says what would change. Pure: the records come from the audit trail however it was read.
 */
export const replayPolicies = (records: Iterable<ReplayedRecord>, candidate: CompiledPolicySet): ReplayReport => {
  let replayed = 0;
  let skipped = 0;
  let unchanged = 0;
  const newlyRefused: ReplayChange[] = [];
  const newlyAllowed: ReplayChange[] = [];
  const newlyNeedApproval: ReplayChange[] = [];
  const decidedBy: Record<string, number> = {};
  for (const record of records) {
    if (!record.policy) {
      skipped += 1;
      continue;
    }
    replayed += 1;
    decidedBy[record.policy.hash] = (decidedBy[record.policy.hash] ?? 0) + 1;
    const decision = candidate.decide({
      tool: record.tool,
      arguments: record.arguments,
      userId: record.userId,
      groups: record.policy.groups,
      ...(record.policy.tenant ? { tenant: record.policy.tenant } : {}),
      runId: record.runId,
      untrusted: labelOf(record.untrustedFrom),
      now: new Date(record.at),
      ...(record.policy.run ? { history: record.policy.run } : {}),
    });
    const was = record.policy.effect;
    if (decision.effect === was) {
      unchanged += 1;
      continue;
    }
    const change: ReplayChange = {
      runId: record.runId,
      callId: record.callId,
      tool: record.tool,
      userId: record.userId,
      at: record.at,
      was,
      now: decision.effect,
      deciding: decision.deciding,
      ...(decision.error ? { error: decision.error } : {}),
    };
    (decision.effect === 'forbid' ? newlyRefused : decision.effect === 'permit' ? newlyAllowed : newlyNeedApproval).push(change);
  }
  return { replayed, skipped, unchanged, newlyRefused, newlyAllowed, newlyNeedApproval, decidedBy };
};
