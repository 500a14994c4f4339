import { setTimeout as sleep } from 'node:timers/promises';
import { type ConversationMessage, type ModelProvider, promptTokenBound, type ToolCallRequest } from '../../../shared/model/index.ts';
import { maxIterations, offeredTools } from '../../../shared/guards/index.ts';
import {
  addUsage,
  type CallRecord,
  type DynamoDbRunStore,
  judgeCallBudget,
  judgeModelCall,
  type ModelPrices,
  RunChangedError,
  type RunRecord,
  type RunSnapshot,
  RunStatus,
  type StoppedBy,
  TERMINAL_STATUSES,
} from '../../../shared/runs/index.ts';
import { toolSpec } from '../../../shared/tool/index.ts';
import type { SpendCrossing, SpendGuard } from '../../../shared/budgets/index.ts';
import { recordUnreachedCall, traceChat, traceRunEnded } from '../../../shared/tracing/index.ts';
import type { LoopState } from './loop-state.ts';
import { AuditSealError, type RunChain } from '../../../shared/audit/index.ts';
import { flowEvidence } from './flow-evidence.ts';
import { auditRefused, type RefusedCall, screenTurn, type ScreenDeps, type ScreenedTurn } from './screen-turn.ts';
import { budgetRefusals, refusalsOfStoppedRun } from './budget-refusals.ts';
import { closeOrphanedApprovals, resultsOfLastTurn, type TurnResultDeps, type UnreachedCall } from './turn-results.ts';
import { type ScreeningFactsDeps, withScreeningFacts } from './screening-facts.ts';

export { MAX_CALLS_PER_TURN, MAX_TURN_ARGUMENT_BYTES } from './screen-turn.ts';

/**
 * The model's request is abandoned after this long. The function's timeout and the state
 * machine's task timeout are longer (infra/guarded-agent), so a slow model ends as a failed
 * request that is recorded, never as an answer arriving after the run has moved on.
 */
export const MODEL_REQUEST_TIMEOUT_MS = 45_000;

export interface CallModelDeps extends ScreenDeps, Omit<TurnResultDeps, 'registry' | 'audit'> {
  /** Writes the records of calls that never reach a tool; with policies, reads what they read of the trail. */
  readonly audit: TurnResultDeps['audit'] & ScreeningFactsDeps['audit'];
  readonly runs: Pick<DynamoDbRunStore, 'load' | 'advance' | 'finish'>;
  /** The model for this run: its script where scripts are allowed, else the configured provider. */
  readonly modelFor: (run: RunRecord) => ModelProvider;
  /** Tools whose breaker keeps calls out now. */
  readonly openBreakers: (tools: readonly string[]) => Promise<ReadonlySet<string>>;
  readonly systemPrompt: string;
  /** The deployer's price table for the model, for budgets in dollars. @default none (a dollar cap cannot be kept) */
  readonly prices?: ModelPrices;
  /** Budgets per user and per tenant over days and months (GuardedAgent's `spendBudgets`). @default none */
  readonly spend?: Pick<SpendGuard, 'reserveModelCall' | 'reserveToolCalls'>;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Told what happened, for metrics: a run ended, an approval ran out of time. */
  readonly events?: TurnResultDeps['events'] & {
    readonly runEnded?: (status: RunStatus, iterations: number) => void;
    /** The model answered, having spent this (undefined: its provider reports no usage): the dashboard's spend by user. */
    readonly modelCalled?: (run: RunRecord, usage: { readonly inputTokens: number; readonly outputTokens: number } | undefined) => void;
    /** A budget over a window crossed its `alarmAt` share with this run's spending. */
    readonly spendCrossed?: (crossing: SpendCrossing, run: RunRecord) => void;
    /** What a model call spent beyond its reservation could not be written (the counter keeps the estimate). */
    readonly settleFailed?: (runId: string, error: unknown) => void;
    /** A seal could not be written; the next step seals what it left (an ended run's verify reports what stays outside). */
    readonly sealFailed?: (runId: string, error: unknown) => void;
    /** A finished run's chain, or a seal's anchor, could not be archived (a repeated step tries again). */
    readonly archiveFailed?: (runId: string, error: unknown) => void;
  };
  /**
   * Seals the run's audit records written since its last seal into its hash chain (see
   * `audit-chain.ts`): done after every step, the one moment a run has a single writer that knows
   * the calls before it have ended. Epoch ms.
   */
  readonly seal?: (runId: string) => Promise<RunChain | undefined>;
  /**
   * Copies a finished run's sealed chain where nobody can rewrite it (GuardedAgent's `auditArchive`):
   * the chain the seal answered, else read. Epoch ms.
   */
  readonly archive?: (runId: string, at: number, sealed?: RunChain) => Promise<unknown>;
  /**
   * Anchors the chain's last seal where its writers cannot rewrite it (GuardedAgent's
   * `auditArchive`), after every step while the run goes on, and its end once it ends. Epoch ms.
   */
  readonly anchor?: (runId: string, at: number, sealed: RunChain, ended: boolean) => Promise<unknown>;
}

/** A step that goes on: the run as loaded and the expectation every write of the step is conditioned on. */
interface Step {
  readonly snapshot: RunSnapshot;
  readonly expected: { readonly status: RunStatus; readonly iteration: number };
}

/** What a step that goes on decided: the run as it will be saved, what it appends, and the calls it settled. */
interface Decided {
  readonly run: RunRecord;
  readonly appended: readonly ConversationMessage[];
  readonly calls: readonly CallRecord[];
  readonly unreached: readonly UnreachedCall[];
  /** Refused by a budget: audited, like screening's refusals, once the step is saved. */
  readonly refused?: readonly RefusedCall[];
}

/** What one step decided, before anything of it is saved: the run failed, ended, or goes on with a screened turn. */
type Outcome =
  | { readonly kind: 'failed' }
  | (Decided & { readonly kind: 'ended' })
  | (Decided & { readonly kind: 'turn'; readonly screened: ScreenedTurn });

const ended = (runId: string): LoopState => ({ runId, done: true });

/** A stopped run's output: what the model last wrote, then whose budget stopped it (always named). */
const stopText = (text: string | undefined, stoppedBy: StoppedBy): string => {
  const stop = `Stopped: ${stoppedBy.reason}.`;
  return text ? `${text}\n\n${stop}` : stop;
};

/**
 * The answer for a run found ended. The step that ended it may have stopped between its save and
 * its refusals' records (or lost them to a duplicate that answered first): they are written again,
 * with the same keys, before this step seals the run's chain.
 */
const endedRun = async (deps: CallModelDeps, snapshot: RunSnapshot): Promise<LoopState> => {
  await auditRefused(deps, snapshot.run, refusalsOfStoppedRun(snapshot));
  return ended(snapshot.run.runId);
};

/** How often, and how far apart, a step that lost the race reads a commit that has not landed yet (2 s in all). */
const MID_COMMIT_READS = 40;
const MID_COMMIT_PAUSE_MS = 50;

/**
 * The answer of a step that was already taken (a duplicate or retried CallModel, or one that lost
 * the race to another): read from what the first one stored, without calling the model again.
 */
const replayed = async (deps: CallModelDeps, snapshot: RunSnapshot, reads = 1): Promise<LoopState> => {
  const { run } = snapshot;
  if (TERMINAL_STATUSES.has(run.status)) return endedRun(deps, snapshot);
  // Each iteration adds one model turn. Read mid-commit (dynalite's commit is not one transaction:
  // the winner's turn is visible before its run record moves), the turns outnumber the iterations,
  // and screening them as this iteration's would make calls of ids the run never keeps (found by
  // the fault simulation: the same ticket created twice). Read again until the commit lands.
  if (snapshot.messages.filter((m) => m.role === 'assistant').length !== run.iteration) {
    if (reads >= MID_COMMIT_READS) throw new RunChangedError(run.runId, { status: run.status, iteration: run.iteration });
    await sleep(MID_COMMIT_PAUSE_MS);
    return replayed(deps, await loadRun(deps, run.runId), reads + 1);
  }
  const last = snapshot.messages.at(-1);
  if (last?.role !== 'assistant') throw new RunChangedError(run.runId, { status: run.status, iteration: run.iteration });
  const { execute, approve, refused } = screenTurn(
    deps,
    run,
    run.iteration,
    last.toolCalls,
    run.untrusted ? flowEvidence(deps.registry, run.input, snapshot.messages) : undefined,
    new Date(run.updatedAt),
    snapshot.calls,
  );
  // The first step may have stopped between its save and its audit records: write them (same keys).
  await auditRefused(deps, run, refused);
  return { runId: run.runId, iteration: run.iteration, done: false, execute, approve };
};

const loadRun = async (deps: CallModelDeps, runId: string): Promise<RunSnapshot> => {
  const snapshot = await deps.runs.load(runId);
  if (!snapshot) throw new Error(`Run ${runId} does not exist`);
  return snapshot;
};

/**
 * Loads the run and answers at once when there is nothing to decide: a run that ended, a step
 * already taken (answered from the store), or one from another iteration (refused).
 */
const loadStep = async (deps: CallModelDeps, state: LoopState): Promise<Step | { readonly answer: LoopState }> => {
  const snapshot = await loadRun(deps, state.runId);
  const { run } = snapshot;
  if (TERMINAL_STATUSES.has(run.status)) return { answer: await endedRun(deps, snapshot) };
  const after = state.iteration ?? 0;
  if (!state.failed && run.iteration === after + 1) return { answer: await replayed(deps, snapshot) };
  if (!state.failed && run.iteration !== after) throw new RunChangedError(run.runId, { status: run.status, iteration: after });
  return { snapshot, expected: { status: run.status, iteration: run.iteration } };
};

/** The last text the model wrote, for a run stopped at its iteration limit. */
const lastText = (messages: readonly ConversationMessage[]): string | undefined =>
  [...messages].reverse().find((m): m is Extract<ConversationMessage, { role: 'assistant' }> => m.role === 'assistant' && Boolean(m.text))
    ?.text;

/**
 * A run a budget stops says whose, whatever the model wrote, and every refusal is on the record:
 * the model call not made (on the audit record only), or each tool call the turn asked for (the
 * run's calls, none made).
 */
const endedByBudget = (
  so: {
    readonly run: RunRecord;
    readonly appended: ConversationMessage[];
    readonly calls: CallRecord[];
    readonly unreached: UnreachedCall[];
  },
  stoppedBy: StoppedBy,
  text: string | undefined,
  asked: readonly ToolCallRequest[] | undefined,
  now: () => number,
): Outcome => {
  const updatedAt = new Date(now()).toISOString();
  const stopped = { ...so.run, status: RunStatus.BUDGET_EXHAUSTED, output: stopText(text, stoppedBy), stoppedBy, updatedAt };
  const refused = budgetRefusals(stopped, asked, stoppedBy);
  return {
    kind: 'ended',
    run: stopped,
    appended: so.appended,
    calls: asked ? [...so.calls, ...refused.map((r) => r.record)] : so.calls,
    unreached: so.unreached,
    refused,
  };
};

/**
 * Step 3 of the loop, the model call's budgets: its ceiling (its prompt's bound plus its answer's
 * cap) must fit the run's caps and be reserved on the user's and tenant's over the day or month
 * before it is made (the answer's cap shrinks to fit). Either whose budget stops it, or the cap
 * the call is made with and how to settle what it spent.
 */
const budgetModelCall = async (deps: CallModelDeps, run: RunRecord, prompt: Parameters<typeof promptTokenBound>[0]) => {
  const promptTokens = promptTokenBound(prompt);
  const affordable = judgeModelCall(run, deps.prices, promptTokens);
  if (!affordable.allow)
    return { allow: false as const, stoppedBy: { kind: 'run', budget: affordable.budget, reason: affordable.reason } as StoppedBy };
  const spender = { user: run.owner, ...(run.tenant === undefined ? {} : { tenant: run.tenant }) };
  const reserved = await deps.spend?.reserveModelCall(spender, { promptTokens, maxAnswerTokens: affordable.maxAnswerTokens });
  if (reserved && !reserved.allow)
    return { allow: false as const, stoppedBy: { ...reserved.stoppedBy, reason: reserved.reason } as StoppedBy };
  const crossed = (crossings: readonly SpendCrossing[]) => {
    for (const crossing of crossings) deps.events?.spendCrossed?.(crossing, run);
  };
  if (reserved) crossed(reserved.crossings);
  const settle = (usage: Parameters<NonNullable<typeof reserved>['settle']>[0]) =>
    reserved?.settle(usage).then(crossed, (error: unknown) => deps.events?.settleFailed?.(run.runId, error));
  return { allow: true as const, spender, crossed, settle, maxTokens: reserved ? reserved.maxAnswerTokens : affordable.maxAnswerTokens };
};

/**
 * Step 6 of the loop: screens every call of the turn (refused ones get their result now, without a
 * Map item) and moves the run on: its iteration, its status, the tools it asked for.
 */
const screenCalls = (
  deps: CallModelDeps,
  run: RunRecord,
  iteration: number,
  toolCalls: readonly ToolCallRequest[],
  messages: readonly ConversationMessage[],
  now: () => number,
  prior: readonly CallRecord[],
) => {
  // Vouchers matter only once the run carries the label: no evidence is read before.
  const evidence = run.untrusted ? flowEvidence(deps.registry, run.input, messages) : undefined;
  const screenedAt = now();
  const screened = screenTurn(deps, run, iteration, toolCalls, evidence, new Date(screenedAt), prior);
  const unreached: UnreachedCall[] = screened.refused.map(({ record }) => ({
    record,
    result: record.result,
    refusedBy: 'screening',
    askedAt: screenedAt,
  }));
  // The declared tools this turn asked for join the run's (GET /runs filters on them); junk names do not.
  const asked = screened.calls.map((c) => c.tool).filter((tool) => deps.registry.resolve(tool) !== undefined);
  const tools = [...new Set([...(run.tools ?? []), ...asked])];
  const moved: RunRecord = {
    ...run,
    iteration,
    status: screened.approve.length > 0 ? RunStatus.WAITING_FOR_APPROVAL : RunStatus.RUNNING,
    ...(tools.length > 0 ? { tools } : {}),
    callCount: (run.callCount ?? 0) + toolCalls.length,
    updatedAt: new Date(screenedAt).toISOString(),
  };
  return { screened, calls: screened.calls, unreached, run: moved };
};

/**
 * Steps 1 to 6 of the loop: hand the last turn's results back into the conversation, stop at the
 * iteration limit or the budget, call the model with the tools the caller's role may use, stop
 * before tool calls the budget cannot pay for, and screen what it asks for.
 */
const decide = async (deps: CallModelDeps, step: Step, state: LoopState, now: () => number): Promise<Outcome> => {
  if (state.failed) return { kind: 'failed' };
  const { snapshot } = step;
  let run = snapshot.run;
  // 1. The results of the previous turn.
  const previous = await resultsOfLastTurn(deps, snapshot, state);
  // Once untrusted content has entered the conversation, the run carries the label for good.
  if (!run.untrusted && previous.untrusted) run = { ...run, untrusted: previous.untrusted };
  const appended = [...previous.appended];
  const calls = [...previous.calls];
  const unreached = [...previous.unreached];

  // 2. The iteration limit ends the run gracefully, with what it has so far.
  if (!maxIterations(run.iteration, run.maxIterations).allow) {
    const output = lastText(snapshot.messages) ?? `Stopped after ${run.iteration} iterations without a final answer.`;
    run = { ...run, status: RunStatus.MAX_ITERATIONS, output, updatedAt: new Date(now()).toISOString() };
    return { kind: 'ended', run, appended, calls, unreached };
  }

  // 3. The budgets: the model is not called when its ceiling would overspend the run's budget,
  // or the user's or tenant's over the day or month (reserved now, settled with what it spent).
  // A run a budget stops says whose, whatever the model wrote, and every refusal is on the record:
  // the model call not made, or each tool call the turn asked for.
  const exhausted = (stoppedBy: StoppedBy, text: string | undefined, asked: readonly ToolCallRequest[] | undefined, ran = run) =>
    endedByBudget({ run: ran, appended, calls, unreached }, stoppedBy, text, asked, now);
  // The model sees only the tools of the caller's role whose breaker is closed.
  const offered = offeredTools(deps.registry, run.groups, await deps.openBreakers(deps.registry.tools.map((t) => t.name)));
  const prompt = {
    system: offered.note ? `${deps.systemPrompt}\n\n${offered.note}` : deps.systemPrompt,
    messages: [...snapshot.messages, ...appended],
    tools: offered.tools.map(toolSpec),
  };
  const budget = await budgetModelCall(deps, run, prompt);
  if (!budget.allow) return exhausted(budget.stoppedBy, lastText(snapshot.messages), undefined);
  const { spender, crossed, settle } = budget;

  // 4. The model call, with the answer's cap the budgets left room for.
  const request = {
    ...prompt,
    maxTokens: budget.maxTokens,
    signal: AbortSignal.timeout(MODEL_REQUEST_TIMEOUT_MS),
  };
  const turn = await traceChat(run.runId, deps.modelFor(run), request).catch(async (error: unknown) => {
    // A model call that failed spent nothing its provider reports: the reservation is given back.
    await settle(undefined);
    throw error;
  });
  await settle(turn.usage);
  deps.events?.modelCalled?.(run, turn.usage);
  const iteration = run.iteration + 1;
  const usage = addUsage(run.usage, turn.usage);
  if (usage) run = { ...run, usage };
  appended.push({ role: 'assistant', ...(turn.text === undefined ? {} : { text: turn.text }), toolCalls: turn.toolCalls });
  if (turn.toolCalls.length === 0) {
    run = { ...run, iteration, status: RunStatus.SUCCEEDED, output: turn.text ?? '', updatedAt: new Date(now()).toISOString() };
    return { kind: 'ended', run, appended, calls, unreached };
  }

  // 5. Tool calls that would overspend a budget are not made: the run ends here, before any of them.
  const withinCalls = judgeCallBudget(run, turn.toolCalls.length);
  if (!withinCalls.allow)
    return exhausted({ kind: 'run', budget: withinCalls.budget, reason: withinCalls.reason }, turn.text, turn.toolCalls, {
      ...run,
      iteration,
    });
  const callsReserved = await deps.spend?.reserveToolCalls(spender, turn.toolCalls.length);
  if (callsReserved && !callsReserved.allow)
    return exhausted({ ...callsReserved.stoppedBy, reason: callsReserved.reason }, turn.text, turn.toolCalls, { ...run, iteration });
  if (callsReserved) crossed(callsReserved.crossings);

  // 6. Screen every call: refused ones get their result now, without a Map item.
  // With policies: the run's calls so far (its history), and what they read of the audit trail, kept so a repeat screens the same.
  const prior = deps.policies ? [...new Map([...snapshot.calls, ...previous.calls].map((c) => [c.callId, c])).values()] : [];
  run = await withScreeningFacts(deps, run, turn.toolCalls, now());
  const screened = screenCalls(deps, run, iteration, turn.toolCalls, prompt.messages, now, prior);
  calls.push(...screened.calls);
  unreached.push(...screened.unreached);
  run = screened.run;
  return { kind: 'turn', run, appended, calls, unreached, screened: screened.screened };
};

/**
 * The one exit of a step: saves what it decided (conditioned on the run as loaded), then tells
 * metrics and traces and answers the state machine. A step that another got to first answers as
 * that one did (or as the ended run).
 */
const commit = async (deps: CallModelDeps, step: Step, outcome: Outcome, now: () => number): Promise<LoopState> => {
  const { run: loaded } = step.snapshot;
  const runEnded = (run: RunRecord) => {
    deps.events?.runEnded?.(run.status, run.iteration);
    traceRunEnded(run, now());
  };
  if (outcome.kind === 'failed') {
    await closeOrphanedApprovals(deps, loaded, step.snapshot.calls);
    const finished = await deps.runs.finish(
      loaded,
      RunStatus.FAILED,
      'The run failed inside the platform; see the audit trail and the logs.',
    );
    if (finished.status === RunStatus.FAILED) runEnded(finished);
    return ended(loaded.runId);
  }
  const { run, appended, calls } = outcome;
  const saved = await deps.runs.advance(run, appended, step.snapshot.messages.length + 1, calls, step.expected).then(
    () => true,
    (error: unknown) => {
      if (error instanceof RunChangedError) return false;
      throw error;
    },
  );
  if (!saved) return replayed(deps, await loadRun(deps, run.runId));
  // Spans of calls that never reached a tool: written once the step is saved, so a repeated step writes none.
  const at = now();
  for (const call of outcome.unreached)
    recordUnreachedCall({
      tool: call.record.tool,
      runId: run.runId,
      callId: call.record.callId,
      userId: run.owner,
      result: call.result,
      refusedBy: call.refusedBy,
      askedAt: call.askedAt,
      at,
      ...(call.approvalId ? { approvalId: call.approvalId } : {}),
    });
  if (outcome.kind === 'ended') {
    await auditRefused(deps, run, outcome.refused ?? []);
    runEnded(run);
    return ended(run.runId);
  }
  await auditRefused(deps, run, outcome.screened.refused);
  return { runId: run.runId, iteration: run.iteration, done: false, execute: outcome.screened.execute, approve: outcome.screened.approve };
};

/**
 * One iteration of the loop, in named steps with one exit: load the run (or answer a step already
 * taken), decide (results in, iteration limit, model, screening), commit, then seal the audit
 * records written so far. Returns only the ids and calls the state machine needs.
 */
export const createCallModel =
  (deps: CallModelDeps) =>
  async (state: LoopState): Promise<LoopState> => {
    const now = deps.now ?? Date.now;
    const step = await loadStep(deps, state);
    const answer = 'answer' in step ? step.answer : await commit(deps, step, await decide(deps, step, state, now), now);
    // Whatever this step wrote, and what the calls before it wrote, joins the run's chain.
    let sealError: unknown;
    const sealed = await deps.seal?.(state.runId).catch((error: unknown) => {
      sealError = error;
      deps.events?.sealFailed?.(state.runId, error);
    });
    // A run that goes on is sealed by its next step; one that ended here has none: the step is taken again.
    if (answer.done && sealError !== undefined) throw new AuditSealError(state.runId, { cause: sealError });
    // Anchored as it is sealed, while the run goes on: a long approval wait leaves no window to rewrite the chain unseen.
    if (sealed)
      await deps
        .anchor?.(state.runId, now(), sealed, answer.done === true)
        .catch((error: unknown) => deps.events?.archiveFailed?.(state.runId, error));
    // A run that ended here: its chain, now whole, copied where it cannot be rewritten.
    if (answer.done)
      await deps
        .archive?.(state.runId, now(), sealed ?? undefined)
        .catch((error: unknown) => deps.events?.archiveFailed?.(state.runId, error));
    return answer;
  };
