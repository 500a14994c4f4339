import * as z from 'zod/mini';
import { boundedText } from 'guarded-agents';

/** The banking tools' argument types, each bounded as tool lint asks. */
export const recipient = () =>
  boundedText({ description: 'IBAN of the recipient, such as DE89370400440532013000. Max 64 characters.', max: 64 });
export const amount = (description = 'Amount of the transaction, in the account currency, 0 to 10,000,000.') =>
  z.number().check(z.minimum(0), z.maximum(10_000_000), z.describe(description));
export const subject = () =>
  boundedText({
    description: 'Subject of the transaction, as the recipient will read it. Max 1000 characters.',
    max: 1000,
    multiline: true,
  });
export const date = (description = 'Date of the transaction, YYYY-MM-DD.') => boundedText({ description, max: 32 });
export const transactionId = () =>
  z.int().check(z.minimum(1), z.maximum(1_000_000), z.describe('ID of the scheduled transaction, as get_scheduled_transactions lists it.'));

/** Python's truthiness, which AgentDojo's update tools use to skip a field: an empty or zero value changes nothing. */
export const given = <T>(value: T | undefined): value is T =>
  value !== undefined && value !== null && value !== '' && value !== 0 && value !== false;
