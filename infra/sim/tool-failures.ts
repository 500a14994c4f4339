import type { AuditRecord } from '../../shared/audit/index.ts';
import type { AnyTool, ToolContext } from '../../shared/tool/index.ts';
import { ErrorCode, ToolDeclinedError } from '../../shared/tool-result/index.ts';
import { MAX_CLOCK_SKEW_MS, type FaultPlan, TOOL_FAULTS } from './fault-plan.ts';
import { trueNow } from './skewed-clocks.ts';

/** A tool's own failure, as the simulation saw its handler fail: which call, and when (true time, epoch ms). */
export interface ToolFailure {
  readonly tool: string;
  readonly runId: string;
  readonly callId: string;
  readonly atMs: number;
}

/**
 * The tools with each handler watched: where the seed's plan says (`tool-fails`, at point
 * `<tool>:Handler`), it fails before doing anything, as a tool whose downstream is down does; and
 * every failure of a handler that counts against its breaker (not a tool declining a request) is
 * noted in `failures`. Nothing else of the declaration changes.
 */
export const watchedTools = (tools: readonly AnyTool[], planOf: () => FaultPlan | undefined, failures: ToolFailure[]): AnyTool[] =>
  tools.map((tool) => ({
    ...tool,
    handler: async (input: unknown, context: ToolContext<unknown>) => {
      try {
        if (planOf()?.decide(`${tool.name}:Handler`, TOOL_FAULTS)) throw new Error(`Simulated: ${tool.name}'s downstream failed`);
        return await tool.handler(input as never, context);
      } catch (error) {
        if (!(error instanceof ToolDeclinedError))
          failures.push({ tool: tool.name, runId: context.runId, callId: context.callId, atMs: trueNow() });
        throw error;
      }
    },
  }));

/**
 * Breakers open only on tools' own failures. Each attempt the audit trail says opened its tool's
 * breaker is a call whose handler failed. And the first sign that a tool's breaker was open (an
 * attempt that opened it, or a call it refused) came after at least its threshold of handler
 * failures within one window: in true time, the window widened by how far the callers' clocks
 * differ. (The attempt that opens it may lose its own record, when what failed was the audit
 * write: the refusals that follow still show it.) A guard's store that failed (DynamoDB, not the
 * tool) must never open it. Later openings may be a failed probe's, one failure each.
 */
export const breakerInvariants = (
  tools: readonly AnyTool[],
  records: readonly AuditRecord[],
  failures: readonly ToolFailure[],
  clocks: ReadonlyMap<string, Readonly<Record<string, number>>>,
): { readonly broken: string[]; readonly openings: number } => {
  const broken: string[] = [];
  let openings = 0;
  for (const tool of tools) {
    const trueMs = (r: AuditRecord) => Date.parse(r.at) - (clocks.get(r.runId)?.[tool.name] ?? 0);
    const own = failures.filter((f) => f.tool === tool.name);
    const opened = records.filter((r) => r.tool === tool.name && r.breakerOpened);
    openings += opened.length;
    for (const record of opened)
      if (!own.some((f) => f.runId === record.runId && f.callId === record.callId))
        broken.push(`${tool.name}'s breaker was opened by ${record.runId} ${record.callId} (${record.code}), whose handler did not fail`);
    const signs = [
      ...opened.map((r) => trueMs(r) + r.durationMs),
      ...records.filter((r) => r.tool === tool.name && r.code === ErrorCode.CIRCUIT_OPEN).map(trueMs),
    ];
    if (signs.length === 0) continue;
    const first = Math.min(...signs);
    const before = own
      .map((f) => f.atMs)
      .filter((at) => at <= first)
      .sort((a, b) => a - b);
    const { failureThreshold, windowMs } = tool.breaker;
    const enough = before.some(
      (at, i) => i + failureThreshold - 1 < before.length && before[i + failureThreshold - 1]! - at <= windowMs + 2 * MAX_CLOCK_SKEW_MS,
    );
    if (!enough)
      broken.push(
        `${tool.name}'s breaker was open by ${new Date(first).toISOString()} with no ${failureThreshold} handler failures within ${windowMs} ms before (${before.length} in all)`,
      );
  }
  return { broken, openings };
};
