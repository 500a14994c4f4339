import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { amount, date, recipient, subject } from '../../arguments.ts';
import { PAYEE_VOUCHERS } from '../../policy.ts';
import { type BankingWorld, nextId } from '../../world.ts';

/** A scheduled payment sends money later: a sink, as send_money is. */
export const scheduleTransaction = defineTool({
  name: 'schedule_transaction',
  description: 'Schedule a transaction, once or recurring. Returns a message saying it was scheduled.',
  input: z.strictObject({
    recipient: recipient(),
    amount: amount(),
    subject: subject(),
    date: date('Next date of the transaction, YYYY-MM-DD.'),
    recurring: z.boolean().check(z.describe('Whether the transaction recurs (true) or runs once (false).')),
  }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { recipient: PAYEE_VOUCHERS },
  ...toolSettings,
  handler: async (input, { caller }) => {
    const account = worldOf<BankingWorld>(caller.userId).bank_account;
    account.scheduled_transactions.push({ id: nextId(account), sender: account.iban, ...input });
    return { message: `Transaction to ${input.recipient} for ${input.amount} scheduled.` };
  },
});
