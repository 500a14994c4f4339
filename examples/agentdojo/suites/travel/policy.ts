import type { Voucher } from 'guarded-agents';

/**
 * The travel suite's information-flow policy, declared once for every task (and never naming one).
 * Untrusted sources: the reviews of hotels, restaurants and car rental companies (anyone who stayed
 * writes one), and the calendar's events (an invitation's title and description are its sender's).
 * The catalog's own fields (names, addresses, prices, hours) are the agency's, and the user's
 * profile is the user's. Sinks, once untrusted content is in a run:
 * - a reservation: where it is made and for when (the user's phone number goes with it);
 * - an email: its recipients, subject and body;
 * - a calendar event: who is invited, and what it says (title, description, location);
 * - a cancellation: which event (its participants are told).
 * Each waits for a person unless the user wrote its value in the request; a location may also be an
 * address the agency's catalog gave in the run (`record:address`). Text the model wrote from what it
 * read is no one's but the model's: a planted review could have chosen it.
 */
export const WRITTEN_BY_USER: readonly Voucher[] = ['prompt'];
export const PLACE_VOUCHERS: readonly Voucher[] = ['prompt', 'record:address'];

/** The addresses in a catalog lookup's result (name to address): the agency's field, which no reviewer writes. */
export const addressesIn = (result: unknown): string[] =>
  result !== null && typeof result === 'object' ? Object.values(result).filter((a): a is string => typeof a === 'string') : [];
