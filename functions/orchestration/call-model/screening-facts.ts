import { approvalsGiven, type DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import type { ToolCallRequest } from '../../../shared/model/index.ts';
import { type CompiledPolicySet, LAST_HOUR_MS } from '../../../shared/policies/index.ts';
import type { RunRecord, ScreeningFacts } from '../../../shared/runs/index.ts';
import type { ToolRegistry } from '../../../shared/tool/index.ts';

export interface ScreeningFactsDeps {
  readonly registry: ToolRegistry;
  readonly policies?: CompiledPolicySet;
  /** The run's records (its approvals) and the calls index (the user's last hour). */
  readonly audit: Pick<DynamoDbAuditStore, 'listByRun' | 'countCallsSince'>;
}

/**
 * What the policies of this turn's tools read from the audit trail, read before the turn is
 * screened and only where a policy that applies reads it: the run's approvals (one query of its
 * records) and, for each tool whose policies read `context.lastHour`, the user's calls of it in the
 * hour before (one count each). Undefined when none reads either. A read that fails leaves its part
 * out: a policy that reads it then refuses the call (fails closed), and the run goes on.
 */
export const screeningFactsOf = async (
  deps: ScreeningFactsDeps,
  run: RunRecord,
  toolCalls: readonly ToolCallRequest[],
  now: number,
): Promise<ScreeningFacts | undefined> => {
  const { policies } = deps;
  if (!policies) return undefined;
  const tools = [...new Set(toolCalls.map((call) => call.name))].filter(
    (name): name is string => typeof name === 'string' && deps.registry.resolve(name) !== undefined,
  );
  const readingApprovals = tools.some((tool) => policies.readsContext(tool, 'approvals'));
  const countingHour = tools.filter((tool) => policies.readsContext(tool, 'lastHour'));
  if (!readingApprovals && countingHour.length === 0) return undefined;
  const since = new Date(now - LAST_HOUR_MS);
  const [approvals, counts] = await Promise.all([
    readingApprovals ? deps.audit.listByRun(run.runId).then(approvalsGiven, () => undefined) : undefined,
    Promise.all(
      countingHour.map((tool) =>
        deps.audit.countCallsSince(tool, run.owner, since).then(
          (count) => [[tool, count] as const],
          () => [],
        ),
      ),
    ),
  ]);
  return { ...(approvals ? { approvals } : {}), ...(counts.length > 0 ? { lastHour: Object.fromEntries(counts.flat()) } : {}) };
};

/** The run with this turn's facts in `screenedWith` (an earlier turn's dropped): what its screening, and any repeat of it, reads. */
export const withScreeningFacts = async (
  deps: ScreeningFactsDeps,
  run: RunRecord,
  toolCalls: readonly ToolCallRequest[],
  now: number,
): Promise<RunRecord> => {
  const screenedWith = await screeningFactsOf(deps, run, toolCalls, now);
  const { screenedWith: _earlier, ...current } = run;
  return { ...current, ...(screenedWith ? { screenedWith } : {}) };
};
