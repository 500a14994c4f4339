import { type SeedOutcome, runSeed } from './sim-seed.ts';
import { reportOf, type SimReport } from './sim-report.ts';
import { startSimWorld, warmUp } from './sim-world.ts';

export interface SimulationOptions {
  readonly seeds: readonly number[];
  /** The share of DynamoDB requests that meet a fault. @default 0.05 */
  readonly rate?: number;
  /** Seeds played side by side. @default 4 */
  readonly concurrency?: number;
  readonly onSeed?: (outcome: SeedOutcome) => void;
}

/** Plays the seeds on one simulated world, a few at a time, and reports what they found. */
export const simulate = async (options: SimulationOptions): Promise<SimReport> => {
  const started = performance.now();
  const world = await startSimWorld();
  const outcomes: SeedOutcome[] = [];
  try {
    await warmUp(world, (warm) => runSeed(warm, 0, 0));
    const queue = [...options.seeds];
    const worker = async () => {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
        const outcome = await runSeed(world, seed, options.rate ?? 0.05);
        outcomes.push(outcome);
        options.onSeed?.(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  } finally {
    await world.system.stop();
  }
  return reportOf(
    outcomes.sort((a, b) => a.seed - b.seed),
    (performance.now() - started) / 1000,
  );
};
