import type { ToolCallRequest } from '../../../shared/model/index.ts';
import { CallStatus, ErrorCode } from '../../../shared/tool-result/index.ts';
import { RunStatus, type RunRecord, type RunSnapshot, type StoppedBy } from '../../../shared/runs/index.ts';
import type { RefusedCall } from './screen-turn.ts';

/** The name a model call not made is audited under (not a declared tool: `withDeclaration` finds none). */
const MODEL_CALL = 'model_call';

/**
 * What a budget refused, as records: each tool call the turn asked for (none was made), or, when
 * the model call itself was not made, that call (`model_call`, numbered by iteration).
 */
export const budgetRefusals = (run: RunRecord, asked: readonly ToolCallRequest[] | undefined, stoppedBy: StoppedBy): RefusedCall[] => {
  const error = {
    code: ErrorCode.BUDGET_EXHAUSTED,
    message: `Not made: ${stoppedBy.reason}.`,
    suggestion: "Tell the user the run stopped at its budget; an admin can raise it, or the budget's window resets.",
    retryable: false,
  };
  const refusal = (callId: string, modelCallId: string, tool: string, args: unknown): RefusedCall => ({
    record: {
      callId,
      modelCallId,
      tool,
      iteration: run.iteration,
      status: CallStatus.RATE_LIMITED,
      code: ErrorCode.BUDGET_EXHAUSTED,
      result: { ok: false, error },
    },
    code: ErrorCode.BUDGET_EXHAUSTED,
    arguments: args,
  });
  if (!asked) return [refusal(`m${run.iteration + 1}`, '', MODEL_CALL, { stoppedBy })];
  return asked.map((call, i) => refusal(`c${run.iteration}-${i + 1}`, call.id, String(call.name).slice(0, 64), call.arguments));
};

/**
 * The refusals of a run a budget stopped, rebuilt from what its step saved, with the same keys:
 * the step that stopped it may have failed between its save and its audit records, and the
 * step taken again finds the run ended (found by the fault simulation, seed 441). Tool calls
 * refused are among the run's calls; else the model call was the one not made.
 */
export const refusalsOfStoppedRun = (snapshot: RunSnapshot): RefusedCall[] => {
  const { run, calls, messages } = snapshot;
  if (run.status !== RunStatus.BUDGET_EXHAUSTED || !run.stoppedBy) return [];
  const last = messages.at(-1);
  const refusedCalls = calls.some((c) => c.callId === `c${run.iteration}-1` && c.code === ErrorCode.BUDGET_EXHAUSTED);
  const asked = refusedCalls && last?.role === 'assistant' ? last.toolCalls : undefined;
  return budgetRefusals(run, asked, run.stoppedBy);
};
