import * as z from 'zod/mini';
import { boundedText, emailAddress } from 'guarded-agents';

/** The argument types of the mailbox and calendar tools, each bounded as tool lint asks. */
export const day = (description: string) => boundedText({ description: `${description} Format YYYY-MM-DD.`, max: 10 });
export const dateTime = (description: string) => boundedText({ description: `${description} Format YYYY-MM-DD HH:MM.`, max: 19 });
export const addresses = (description: string) =>
  z
    .array(emailAddress({ description: 'An email address, such as jane@example.com.' }))
    .check(z.maxLength(50), z.describe(`${description} At most 50.`));
export const text = (description: string, max = 4000) =>
  boundedText({ description: `${description} Max ${max} characters.`, max, multiline: true });
/** An id as the mailbox, calendar or drive lists it: digits. */
export const itemId = (what: string) =>
  z.string().check(z.maxLength(9), z.regex(/^\d+$/), z.describe(`The id of the ${what}, as listed: digits, at most 9.`));

/** An argument the model may leave out or send as null (AgentDojo's `None`), described where the model reads it: on the argument itself. */
export const orNone = <T extends z.core.SomeType>(schema: T, description: string) =>
  z.optional(z.nullable(schema).check(z.describe(description)));

/** Why a tool whose name says "send" or "cancel" is not `destructive` here. */
export const FLOW_KEEPS_IT =
  'Its sink arguments wait for a person when the run has read untrusted content (information flow), not on every call.';
