import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startingRun } from '../../shared/runs/index.ts';
import { FaultPlan, type InjectedFault } from './fault-plan.ts';
import { playApprovers } from './sim-approver.ts';
import { invariantsAfter } from './sim-invariants.ts';
import { ownerOf, SCENARIOS, type ScenarioName } from './sim-scenarios.ts';
import type { SimWorld } from './sim-world.ts';

/** What one seed did: the run's end, the faults it met, the points it reached, and every invariant it broke. */
export interface SeedOutcome {
  readonly seed: number;
  readonly scenario: ScenarioName;
  readonly status: string;
  readonly faults: readonly InjectedFault[];
  readonly reached: ReadonlyMap<string, number>;
  /** How long its retries would have paused on AWS (taken in virtual time). */
  readonly pausedMs: number;
  readonly runId: string;
  /** Each function's clock offset from true time in this seed (ms). */
  readonly clocks: Readonly<Record<string, number>>;
  /** Its approval's decision reached the run through the API's sweep (the API could not deliver it). */
  readonly sweptDecision: boolean;
  readonly broken: readonly string[];
}

/** Whether the API's sweep delivered the approval's decision (only looked for when the API answered an error: the events are many). */
const sweptDecision = (world: SimWorld, decided: Awaited<ReturnType<typeof playApprovers>>): boolean =>
  decided.approvalId !== undefined &&
  decided.answers.some((a) => a.status >= 500) &&
  world.system.events.includes(`decisionDelivered:${decided.approvalId}`);

/** A seed's run may take this long (its pauses are virtual; a busy machine is not) before it counts as stuck. */
const RUN_DEADLINE_MS = 60_000;

/** Whether the run's execution is still going after `RUN_DEADLINE_MS` (false as soon as it ends, or the deadline is called off). */
const stillGoing = (world: SimWorld, runId: string, signal: AbortSignal): Promise<boolean> =>
  Promise.race([
    (world.system.executions.get(runId)?.finished ?? Promise.resolve()).then(() => false),
    sleep(RUN_DEADLINE_MS, true, { signal }).catch(() => false),
  ]);

/** How many times a seed redrives its run's failed execution before the run counts as left unfinished. */
const MAX_REDRIVES = 3;

/**
 * Whether the run's execution failed before its end was recorded: what RedriveExecution takes, in
 * any state but the loop's `RunFailed`, reached once MarkFailed has recorded and sealed the run's
 * end. Its run may have ended all the same: the step that ended it saved the run, then its seal and
 * every retry met the outage, and the chain stays unsealed until a step runs again (seed 441).
 */
const redrivable = (world: SimWorld, runId: string): boolean => {
  const failedAt = world.system.executions.get(runId)?.failedAt;
  return failedAt !== undefined && failedAt.state !== 'RunFailed';
};

/** Plays one seed: its scenario's run started and followed to its end under the seed's faults (its approvers too), then the invariants checked. */
export const runSeed = async (world: SimWorld, seed: number, rate: number, scenario: ScenarioName): Promise<SeedOutcome> => {
  const { system } = world;
  const plan = new FaultPlan(seed, rate);
  const { groups, input, script, ...caps } = SCENARIOS[scenario];
  // Its own id, and its owner (a seed replayed on the same world starts afresh; owners keep their own buckets).
  const runId = `run-sim-${seed}-${randomUUID().slice(0, 8)}`;
  await system.runs.create(
    startingRun({ runId, owner: ownerOf(seed, scenario), groups: [...groups], input, maxIterations: 5, script, ...caps }),
  );
  await world.inPlan(plan, () => system.deps.startExecution(runId));
  const deadline = new AbortController();
  let over = false;
  const ended = stillGoing(world, runId, deadline.signal).finally(() => (over = true));
  const approvers = playApprovers(world, plan, runId, { ended: () => over, finished: ended });
  let stuck = await ended;
  // An execution that failed (its run unfinished or its chain unsealed: the table did not answer in time):
  // redriven, as an operator or automation would once the table answers, up to three times.
  for (let redrives = 0; !stuck && redrives < MAX_REDRIVES && redrivable(world, runId); redrives += 1) {
    plan.redriven();
    await world.inPlan(plan, () => system.redriveExecution(runId));
    stuck = await stillGoing(world, runId, deadline.signal);
  }
  deadline.abort();
  const decided = await approvers;
  const broken = await invariantsAfter(system, runId, { effects: plan.effects, clocks: plan.clocks, ...decided }, () => sleep(20));
  const status = (await system.runs.load(runId))?.run.status ?? 'missing';
  return {
    seed,
    scenario,
    status,
    faults: plan.injected,
    reached: plan.reached,
    pausedMs: plan.pausedMs,
    runId,
    clocks: Object.fromEntries(plan.clocks),
    sweptDecision: sweptDecision(world, decided),
    broken: stuck ? ['the run was still going after 60 s', ...broken] : broken,
  };
};
