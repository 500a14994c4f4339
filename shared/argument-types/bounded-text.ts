import * as z from 'zod/mini';
import { findHiddenCharacter } from './unicode.ts';

/**
 * Options of `boundedText`: the field's description, its length bounds, and whether it may span
 * lines.
 */
export interface BoundedTextOptions {
  /** What the field holds, for the model. Required: an undescribed field is a lint error. */
  readonly description: string;
  /** Upper bound on length in UTF-16 code units, checked before anything else runs. */
  readonly max: number;
  /** @default 1 */
  readonly min?: number;
  /** Allow newline and tab (free text such as a body). @default false */
  readonly multiline?: boolean;
}

/**
 * A string with a length cap applied before any pattern, and no control or invisible format
 * characters (newline and tab only where `multiline` allows them).
 *
 * @example
 * const title = boundedText({ description: 'Ticket title, one line. Max 120 characters.', max: 120 });
 */
export const boundedText = (options: BoundedTextOptions) => {
  const { max, min = 1, multiline = false } = options;
  return z.string().check(
    z.maxLength(max, { error: `must be at most ${max} characters`, abort: true }),
    z.minLength(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters`, abort: true }),
    z.superRefine((value, ctx) => {
      const hidden = findHiddenCharacter(value, multiline);
      if (hidden) {
        ctx.addIssue({ code: 'custom', message: `contains a control or invisible character (${hidden})`, input: value });
      }
    }),
    z.describe(options.description),
  );
};
