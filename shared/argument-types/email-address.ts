import * as z from 'zod/mini';

/** Options of `emailAddress`: the field's description. */
export interface EmailAddressOptions {
  readonly description: string;
}

// Deliberately narrower than RFC 5322: no quoted local parts, comments, IP hosts or '%'.
const EMAIL = /^[A-Za-z0-9._+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$/;

/**
 * A plain email address, at most 254 characters.
 *
 * @example
 * const to = emailAddress({ description: 'Recipient address, such as jane@example.com.' });
 */
export const emailAddress = (options: EmailAddressOptions) =>
  z
    .string()
    .check(
      z.maxLength(254, { error: 'must be at most 254 characters', abort: true }),
      z.regex(EMAIL, { error: 'must be a plain address like name@example.com' }),
      z.describe(options.description),
    );
