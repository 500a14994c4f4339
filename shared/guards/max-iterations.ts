import { allow, deny, type GuardVerdict } from './verdict.ts';

/** Hard ceiling on iterations a run may ask for, whatever its request says. */
export const MAX_ITERATIONS_CEILING = 50;

/** A run may call the model again while it has done fewer iterations than its limit. */
export const maxIterations = (done: number, limit: number): GuardVerdict<undefined> =>
  done < Math.min(limit, MAX_ITERATIONS_CEILING)
    ? allow(undefined)
    : deny(`the run reached its limit of ${Math.min(limit, MAX_ITERATIONS_CEILING)} iterations`);
