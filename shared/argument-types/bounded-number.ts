import * as z from 'zod/mini';

/** Options of `boundedInt`: the field's description and its bounds. */
export interface BoundedNumberOptions {
  readonly description: string;
  readonly min: number;
  readonly max: number;
}

/**
 * A finite integer in [min, max]. Strings, NaN, Infinity and unsafe integers are rejected.
 *
 * @example
 * const quantity = boundedInt({ description: 'How many, 1 to 10.', min: 1, max: 10 });
 */
export const boundedInt = (options: BoundedNumberOptions) =>
  z
    .int()
    .check(
      z.minimum(options.min, { error: `must be at least ${options.min}` }),
      z.maximum(options.max, { error: `must be at most ${options.max}` }),
      z.describe(options.description),
    );
