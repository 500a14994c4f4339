import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { modelScriptSchema } from '../../shared/model/index.ts';
import { RunStatus } from '../../shared/runs/index.ts';
import * as z from 'zod/mini';
import { FaultPlan, type InjectedFault } from './fault-plan.ts';
import { invariantsAfter } from './sim-invariants.ts';
import type { SimWorld } from './sim-world.ts';

/** What one seed did: the run's end, the faults it met, the points it reached, and every invariant it broke. */
export interface SeedOutcome {
  readonly seed: number;
  readonly status: string;
  readonly faults: readonly InjectedFault[];
  readonly reached: ReadonlyMap<string, number>;
  readonly broken: readonly string[];
}

/** A seed's run may take this long (SDK retries sleep for real) before it counts as stuck. */
const RUN_DEADLINE_MS = 60_000;

/**
 * The scenario each seed plays: an operator's run whose model asks, in one turn, for a ticket (a
 * write: the side effect counted) and an order lookup, then answers.
 */
const SCRIPT = z.parse(modelScriptSchema, {
  provider: 'scripted',
  turns: [
    {
      toolCalls: [
        { name: 'create_ticket', arguments: { title: 'Printer', description: 'It jams.', priority: 'low' } },
        { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
      ],
    },
    { text: 'Done.' },
  ],
});

/** Plays one seed: the run started and followed to its end under the seed's faults, then the invariants checked. */
export const runSeed = async (world: SimWorld, seed: number, rate: number): Promise<SeedOutcome> => {
  const { system } = world;
  const plan = new FaultPlan(seed, rate);
  // Its own id and owner (a seed replayed on the same world starts afresh; owners keep their own buckets).
  const runId = `sim-${seed}-${randomUUID().slice(0, 8)}`;
  const now = new Date().toISOString();
  await system.runs.create({
    runId,
    owner: `sim-${seed}`,
    groups: ['operator'],
    input: 'Open a ticket about the printer and look up ORD-104233.',
    maxIterations: 5,
    iteration: 0,
    status: RunStatus.RUNNING,
    script: SCRIPT,
    createdAt: now,
    updatedAt: now,
  });
  await world.inPlan(plan, () => system.deps.startExecution(runId));
  const execution = system.executions.get(runId);
  const deadline = new AbortController();
  const stuck = await Promise.race([
    execution?.finished.then(() => false),
    sleep(RUN_DEADLINE_MS, true, { signal: deadline.signal }).catch(() => false),
  ]);
  deadline.abort();
  const broken = await invariantsAfter(system, runId, () => sleep(20));
  const status = (await system.runs.load(runId))?.run.status ?? 'missing';
  return {
    seed,
    status,
    faults: plan.injected,
    reached: plan.reached,
    broken: stuck ? ['the run was still going after 60 s', ...broken] : broken,
  };
};
