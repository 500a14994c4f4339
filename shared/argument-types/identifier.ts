import * as z from 'zod/mini';

/**
 * Options of `identifier`: the field's description, its anchored pattern, its length cap and an
 * example.
 */
export interface IdentifierOptions {
  readonly description: string;
  /** Anchored pattern the whole identifier must match, e.g. `/^ORD-\d{6}$/`. */
  readonly pattern: RegExp;
  /** Cap checked before the pattern runs. */
  readonly max: number;
  /** Shown in the error, so the model can correct itself. */
  readonly example: string;
}

/**
 * An identifier with an explicit, anchored pattern (order ids, ticket ids). Injection strings,
 * wildcards and whitespace never match a pattern like `^ORD-\d{6}$`, so they never reach a store.
 *
 * @example
 * const orderId = identifier({ description: 'Order id such as ORD-123456.', pattern: /^ORD-\d{6}$/, max: 10, example: 'ORD-123456' });
 */
export const identifier = (options: IdentifierOptions) => {
  const { source, flags } = options.pattern;
  if (!source.startsWith('^') || !source.endsWith('$') || flags.includes('m')) {
    throw new TypeError(`identifier pattern ${options.pattern} must be anchored with ^ and $ and not multiline`);
  }
  return z
    .string()
    .check(
      z.maxLength(options.max, { error: `must be at most ${options.max} characters`, abort: true }),
      z.regex(options.pattern, { error: `must look like ${options.example}` }),
      z.describe(options.description),
    );
};
