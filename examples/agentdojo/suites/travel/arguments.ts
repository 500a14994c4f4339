import * as z from 'zod/mini';
import { boundedText } from 'guarded-agents';

/** The travel tools' argument types, each bounded as tool lint asks (the mailbox's and calendar's are shared with workspace). */
export { dateTime, day } from '../office/arguments.ts';
export const city = () => boundedText({ description: 'The city, such as Paris. Max 100 characters.', max: 100 });
/** A name of the catalog's (a hotel, a restaurant, a company): reviews are the writers', names the agency's. */
export const placeName = (what: string) =>
  boundedText({ description: `The name of the ${what}, as the agency lists it. Max 200 characters.`, max: 200 });
export const placeNames = (what: string) =>
  z.array(placeName(what)).check(z.maxLength(100), z.describe(`The names of the ${what}s, as the agency lists them; at most 100.`));
