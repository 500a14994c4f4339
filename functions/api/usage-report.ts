import { type AuditRecord, isDecision, reachedTool } from '../../shared/audit/index.ts';

/** How one tool was used over a time range, from its audit records. */
export interface ToolUsage {
  readonly tool: string;
  /** Calls the model asked for, each (run, call) once: its retried attempts and its approval are one call. */
  readonly calls: number;
  /** Calls whose last attempt ran the handler and answered (replays included). */
  readonly succeeded: number;
  /** `succeeded / calls`; null without calls. */
  readonly successRate: number | null;
  /** Calls by the code they ended with (a call the approver denied: APPROVAL_DENIED). */
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Calls the loop refused before invoking the tool, by code and reason, most frequent first. */
  readonly screeningRefusals: ReadonlyArray<{ readonly code: string; readonly reason: string; readonly count: number }>;
  readonly throttles: number;
  readonly breakerOpenings: number;
  readonly approvals: { readonly approved: number; readonly denied: number; readonly expired: number };
  /** Of the attempts that reached the tool's function. */
  readonly durationMs: { readonly p50: number; readonly p95: number } | null;
  /** The arguments that fail validation most often, with the rule they broke. */
  readonly failingArguments: ReadonlyArray<{ readonly argument: string; readonly rule: string; readonly count: number }>;
}

export interface UsageSuggestion {
  readonly tool: string;
  readonly kind: 'schema' | 'throttled' | 'unreliable' | 'slow' | 'never-called' | 'denied';
  readonly text: string;
}

export interface UsageReport {
  readonly since: string;
  readonly until: string;
  readonly records: number;
  /** More records than the report reads: the figures cover the oldest part of the range. */
  readonly truncated: boolean;
  readonly tools: readonly ToolUsage[];
  /** Declared tools without a single call in the range. */
  readonly neverCalled: readonly string[];
  readonly suggestions: readonly UsageSuggestion[];
}

const SUCCEEDED = new Set(['executed', 'replayed']);
/** The p-th percentile of ascending values (nearest rank). */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const countBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};
/** Records grouped by a key, each group in the records' order (one pass: the report reads up to 100,000). */
const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};
const top = <T extends { count: number }>(rows: T[], n: number) => rows.sort((a, b) => b.count - a.count).slice(0, n);

/** The error message of a record's result summary (redacted JSON, long strings cut). */
const errorMessageOf = (record: AuditRecord): string => {
  try {
    const summary = JSON.parse(record.result) as { error?: { message?: unknown } };
    return typeof summary.error?.message === 'string' ? summary.error.message : '';
  } catch {
    return '';
  }
};

/** `Invalid arguments for t: a: rule; b.c: rule` -> [a, rule], [b.c, rule] (describeIssues' format). */
const failedArguments = (record: AuditRecord): Array<[string, string]> =>
  errorMessageOf(record)
    .replace(/^Invalid arguments for [^:]+: /, '')
    .split('; ')
    .flatMap((part) => {
      const match = /^([^:\s][^:]{0,100}): (.+)$/.exec(part);
      return match ? [[match[1] as string, (match[2] as string).slice(0, 120)] as [string, string]] : [];
    });

/**
 * A call's outcome: its last attempt's, or, when no attempt ran (the approver denied it), the
 * decision's. A call whose approval was granted and that has not run yet has none.
 */
const outcomeOf = (records: readonly AuditRecord[]): { status: string; code?: string } | undefined => {
  const attempts = records.filter((r) => !isDecision(r)).sort((a, b) => a.at.localeCompare(b.at));
  const last = attempts[attempts.length - 1];
  if (last) return { status: last.status, ...(last.code ? { code: last.code } : {}) };
  return records.some((r) => r.status === 'denied') ? { status: 'denied', code: 'APPROVAL_DENIED' } : undefined;
};

const usageOf = (tool: string, records: readonly AuditRecord[]): ToolUsage => {
  // A call is its (run, call) pair: retried attempts and the approver's decision are parts of one call.
  const byCall = groupBy(records, (r) => `${r.runId}#${r.callId}`);
  const outcomes = [...byCall.values()].flatMap((call) => {
    const outcome = outcomeOf(call);
    return outcome ? [outcome] : [];
  });
  const attempts = records.filter((r) => !isDecision(r));
  const succeeded = outcomes.filter((o) => SUCCEEDED.has(o.status)).length;
  const screened = attempts.filter((r) => r.attemptId.startsWith('screening-'));
  const durations = attempts
    .filter(reachedTool)
    .map((r) => r.durationMs)
    .sort((a, b) => a - b);
  const validation = attempts.filter((r) => r.code === 'VALIDATION_FAILED').flatMap(failedArguments);
  return {
    tool,
    calls: byCall.size,
    succeeded,
    successRate: byCall.size === 0 ? null : succeeded / byCall.size,
    errorsByCode: Object.fromEntries(
      countBy(
        outcomes.filter((o) => o.code),
        (o) => o.code as string,
      ),
    ),
    screeningRefusals: top(
      [...countBy(screened, (r) => `${r.code ?? ''}\n${errorMessageOf(r).slice(0, 160)}`)].map(([key, count]) => {
        const [code = '', reason = ''] = key.split('\n');
        return { code, reason, count };
      }),
      5,
    ),
    throttles: attempts.filter((r) => r.code === 'RATE_LIMITED').length,
    breakerOpenings: attempts.filter((r) => r.breakerOpened).length,
    approvals: {
      approved: records.filter((r) => isDecision(r) && r.status === 'approved').length,
      denied: records.filter((r) => isDecision(r) && r.status === 'denied').length,
      expired: attempts.filter((r) => r.code === 'APPROVAL_EXPIRED').length,
    },
    durationMs: durations.length === 0 ? null : { p50: percentile(durations, 50), p95: percentile(durations, 95) },
    failingArguments: top(
      [...countBy(validation, ([argument, rule]) => `${argument}\n${rule}`)].map(([key, count]) => {
        const [argument = '', rule = ''] = key.split('\n');
        return { argument, rule, count };
      }),
      5,
    ),
  };
};

/** Thresholds for suggestions: a share of a tool's calls, and the fewest calls that make a share mean something. */
const MIN_CALLS = 5;
const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
const pct = (x: number) => `${Math.round(x * 100)} %`;

const suggestionsFor = (usage: ToolUsage, timeoutMs: number | undefined): UsageSuggestion[] => {
  const out: UsageSuggestion[] = [];
  const { tool, calls } = usage;
  const count = (code: string) => usage.errorsByCode[code] ?? 0;
  if (calls < MIN_CALLS) return out;
  const invalid = count('VALIDATION_FAILED');
  if (share(invalid, calls) >= 0.2) {
    const worst = usage.failingArguments[0];
    out.push({
      tool,
      kind: 'schema',
      text: `${pct(share(invalid, calls))} of ${tool}'s calls had invalid arguments${worst ? ` (most often ${worst.argument}: ${worst.rule})` : ''}: say what a valid value looks like in the argument's description, with an example.`,
    });
  }
  if (share(usage.throttles, calls) >= 0.1)
    out.push({
      tool,
      kind: 'throttled',
      text: `${pct(share(usage.throttles, calls))} of ${tool}'s calls were rate limited: raise its limits if this is normal use, or find the run that loops.`,
    });
  const failed = count('TOOL_FAILED') + count('INTERNAL') + count('TIMEOUT');
  if (usage.breakerOpenings > 0 || share(failed, calls) >= 0.2)
    out.push({
      tool,
      kind: 'unreliable',
      text: `${tool} failed ${failed} time(s)${usage.breakerOpenings > 0 ? ` and its breaker opened ${usage.breakerOpenings} time(s)` : ''}: check what it depends on.`,
    });
  if (timeoutMs && usage.durationMs && usage.durationMs.p95 >= 0.8 * timeoutMs)
    out.push({
      tool,
      kind: 'slow',
      text: `${tool}'s p95 duration (${usage.durationMs.p95} ms) is close to its timeout (${timeoutMs} ms): raise the timeout or make it faster.`,
    });
  const decided = usage.approvals.approved + usage.approvals.denied;
  if (decided >= MIN_CALLS && share(usage.approvals.denied, decided) >= 0.5)
    out.push({
      tool,
      kind: 'denied',
      text: `Approvers denied ${usage.approvals.denied} of ${decided} ${tool} calls: the model asks for it when it should not; tell it when to use it in the description or the system prompt.`,
    });
  return out;
};

/**
 * Per-tool figures and suggestions from the audit records of a time range. `tools` are the declared
 * tools (name and timeout): those without a call are listed, records of other names still count.
 */
export const buildUsageReport = (
  records: readonly AuditRecord[],
  options: {
    readonly tools: ReadonlyArray<{ readonly name: string; readonly timeoutMs?: number }>;
    readonly since: Date;
    readonly until: Date;
    readonly truncated?: boolean;
  },
): UsageReport => {
  const byTool = groupBy(records, (r) => r.tool);
  const tools = [...byTool].map(([tool, list]) => usageOf(tool, list)).sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool));
  const neverCalled = options.tools.map((t) => t.name).filter((name) => !tools.some((u) => u.tool === name && u.calls > 0));
  const timeouts = new Map(options.tools.map((t) => [t.name, t.timeoutMs]));
  return {
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    records: records.length,
    truncated: options.truncated ?? false,
    tools,
    neverCalled,
    suggestions: [
      ...tools.flatMap((u) => suggestionsFor(u, timeouts.get(u.tool))),
      ...neverCalled.map((tool) => ({
        tool,
        kind: 'never-called' as const,
        text: `${tool} was never called: if it is needed, its description must say when to use it; if not, remove it (every tool offered costs tokens on every model call).`,
      })),
    ],
  };
};
