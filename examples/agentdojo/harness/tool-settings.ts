import { defaultBreaker, type ToolLimits } from 'guarded-agents';

/**
 * What every tool of the suite shares: limits wide enough that a benchmark of hundreds of cases is
 * never throttled (each case is a user of its own; the per-tool bucket is shared), a short
 * timeout (they act on memory) and the default breaker.
 */
export const benchLimits: ToolLimits = {
  perUser: { capacity: 50, refillPerMinute: 600 },
  perTool: { capacity: 100_000, refillPerMinute: 100_000 },
};
/** Why a tool keeps AgentDojo's name though tool lint reads it otherwise (`lintExceptions`). */
export const AGENTDOJO_NAME = 'The name AgentDojo gives this tool, kept so that ground truths and published results compare.';

export const toolSettings = { limits: benchLimits, timeoutMs: 2000, breaker: defaultBreaker } as const;
