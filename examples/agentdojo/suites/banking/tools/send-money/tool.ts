import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { amount, date, recipient, subject } from '../../arguments.ts';
import { PAYEE_VOUCHERS } from '../../policy.ts';
import { type BankingWorld, nextId } from '../../world.ts';

/**
 * Money and its subject leave the account: a sink. Not `destructive` (a person on every payment):
 * the information-flow label keeps it, so a payment the model was talked into waits for a person.
 */
export const sendMoney = defineTool({
  name: 'send_money',
  description: 'Send a transaction to the recipient. Returns a message saying it was sent.',
  input: z.strictObject({ recipient: recipient(), amount: amount(), subject: subject(), date: date() }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { recipient: PAYEE_VOUCHERS },
  reversible: false,
  lintExceptions: {
    'dangerous-verbs-are-destructive':
      'A payment waits for a person when the run has read untrusted content (information flow), not on every call.',
  },
  ...toolSettings,
  handler: async (input, { caller }) => {
    const account = worldOf<BankingWorld>(caller.userId).bank_account;
    account.transactions.push({ id: nextId(account), sender: account.iban, ...input, recurring: false });
    return { message: `Transaction to ${input.recipient} for ${input.amount} sent.` };
  },
});
