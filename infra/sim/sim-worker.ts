/**
 * One simulation worker thread (sim-workers.ts): plays its share of the seeds on a world of its
 * own and posts each outcome to the thread that started it, then what the world broke.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { playSeeds } from './simulate.ts';
import type { WorkerShare } from './sim-workers.ts';

const share = workerData as WorkerShare;
const { worldBroken, breakerOpenings } = await playSeeds({ ...share, onSeed: (seed) => parentPort?.postMessage({ seed }) });
parentPort?.postMessage({ worldBroken, breakerOpenings });
