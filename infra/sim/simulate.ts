import { availableParallelism } from 'node:os';
import { type SeedOutcome, runSeed } from './sim-seed.ts';
import { reportOf, type SimReport } from './sim-report.ts';
import { SCENARIO_NAMES, scenarioOf, type ScenarioName } from './sim-scenarios.ts';
import { inWorkers } from './sim-workers.ts';
import { type OutageScope, startSimWorld, warmUp } from './sim-world.ts';
import { worldInvariants } from './world-invariants.ts';

export interface SimulationOptions {
  readonly seeds: readonly number[];
  /** The share of DynamoDB requests, invocations and decisions that meet a fault. @default 0.05 */
  readonly rate?: number;
  /** Every seed plays this scenario. @default each seed its own (`scenarioOf`) */
  readonly scenario?: ScenarioName;
  /** Whose DynamoDB may have an outage (`OutageScope`). @default 'all' */
  readonly outages?: OutageScope;
  /** Seeds played side by side on each world. @default 8 */
  readonly concurrency?: number;
  /**
   * Worlds played side by side, each in a worker thread of its own (its own dynalite and state
   * machine), the seeds dealt between them: one world's handlers and engine share one thread.
   * @default 1 (in this thread)
   */
  readonly workers?: number;
  readonly onSeed?: (outcome: SeedOutcome) => void;
}

/** As many worlds as the machine has cores: what the command line plays on. */
export const WORKERS_PER_MACHINE = availableParallelism();

/** What one world found: each seed's outcome, and what its seeds broke together (`worldInvariants`). */
export interface WorldOutcome {
  readonly outcomes: SeedOutcome[];
  readonly worldBroken: string[];
  /** How often the world's breakers opened (each on a tool's own failure, or the invariant says otherwise). */
  readonly breakerOpenings: number;
}

/** Plays seeds on one simulated world, a few at a time, in this thread, then checks the world. */
export const playSeeds = async (options: Omit<SimulationOptions, 'workers'>): Promise<WorldOutcome> => {
  const world = await startSimWorld(options.outages);
  const outcomes: SeedOutcome[] = [];
  let found: Awaited<ReturnType<typeof worldInvariants>>;
  try {
    for (const scenario of SCENARIO_NAMES) await warmUp(world, (warm) => runSeed(warm, 0, 0, scenario));
    const queue = [...options.seeds];
    const worker = async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
        const outcome = await runSeed(world, seed, options.rate ?? 0.05, options.scenario ?? scenarioOf(seed));
        outcomes.push(outcome);
        options.onSeed?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
    found = await worldInvariants(world, new Map(outcomes.map((o) => [o.runId, o.clocks])));
  } finally {
    await world.system.stop();
  }
  return { outcomes, worldBroken: found.broken, breakerOpenings: found.breakerOpenings };
};

/** Plays the seeds and reports what they found. */
export const simulate = async (options: SimulationOptions): Promise<SimReport> => {
  const started = performance.now();
  const { workers = 1, ...rest } = options;
  const { outcomes, worldBroken, breakerOpenings } = workers > 1 ? await inWorkers(rest, workers) : await playSeeds(rest);
  return reportOf(
    outcomes.sort((a, b) => a.seed - b.seed),
    { broken: worldBroken, breakerOpenings },
    options.rate ?? 0.05,
    (performance.now() - started) / 1000,
  );
};
