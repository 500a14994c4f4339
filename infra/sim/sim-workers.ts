import { Worker } from 'node:worker_threads';
import type { SeedOutcome } from './sim-seed.ts';
import type { ScenarioName } from './sim-scenarios.ts';
import type { OutageScope } from './sim-world.ts';

/** What a simulation worker is given: its share of the seeds, and how to play them. */
export interface WorkerShare {
  readonly seeds: readonly number[];
  readonly rate?: number;
  readonly scenario?: ScenarioName;
  readonly outages?: OutageScope;
  readonly concurrency?: number;
}

/**
 * Deals the seeds between `workers` worker threads, each playing its share on a world of its own
 * (sim-worker.ts), and gathers their outcomes as they come, and what each world broke. A seed's faults depend on its seed
 * alone, so which world plays it does not change what it meets. A worker that fails fails the whole.
 */
export const inWorkers = async (
  options: WorkerShare & { readonly onSeed?: (outcome: SeedOutcome) => void },
  workers: number,
): Promise<{ outcomes: SeedOutcome[]; worldBroken: string[]; breakerOpenings: number }> => {
  const shares = Array.from({ length: workers }, (_, w) => options.seeds.filter((_, i) => i % workers === w)).filter((s) => s.length > 0);
  const outcomes: SeedOutcome[] = [];
  const worldBroken: string[] = [];
  let breakerOpenings = 0;
  await Promise.all(
    shares.map(
      (seeds) =>
        new Promise<void>((resolve, reject) => {
          const { rate, scenario, outages, concurrency } = options;
          const share: WorkerShare = { seeds, rate, scenario, outages, concurrency };
          const worker = new Worker(new URL('./sim-worker.ts', import.meta.url), { workerData: share });
          worker.on('message', (message: { seed: SeedOutcome } | { worldBroken: string[]; breakerOpenings: number }) => {
            if ('worldBroken' in message) {
              breakerOpenings += message.breakerOpenings;
              return void worldBroken.push(...message.worldBroken);
            }
            outcomes.push(message.seed);
            options.onSeed?.(message.seed);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a simulation worker exited with code ${code}`))));
        }),
    ),
  );
  return { outcomes, worldBroken, breakerOpenings };
};
