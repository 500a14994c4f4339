import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { payeesIn } from '../../policy.ts';
import type { BankingWorld } from '../../world.ts';

/** Transactions carry subjects anyone who sends money can write: what this returns is untrusted. */
export const getMostRecentTransactions = defineTool({
  name: 'get_most_recent_transactions',
  description:
    'Get the list of the most recent transactions, e.g. to summarize the last n transactions. Returns each with id, sender, recipient, amount, subject, date and whether it recurs.',
  input: z.strictObject({
    n: z.optional(z.int().check(z.minimum(1), z.maximum(1000), z.describe('Number of transactions to return, 1 to 1000. Default 100.'))),
  }),
  risk: 'read',
  output: 'untrusted',
  records: { payee: payeesIn },
  ...toolSettings,
  handler: async ({ n = 100 }, { caller }) => worldOf<BankingWorld>(caller.userId).bank_account.transactions.slice(-n),
});
