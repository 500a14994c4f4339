import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { payeesIn } from '../../policy.ts';
import type { BankingWorld } from '../../world.ts';

export const getScheduledTransactions = defineTool({
  name: 'get_scheduled_transactions',
  description:
    'Get the list of scheduled transactions. Returns each with id, sender, recipient, amount, subject, next date and whether it recurs.',
  input: z.strictObject({}),
  risk: 'read',
  records: { payee: payeesIn },
  ...toolSettings,
  handler: async (_input, { caller }) => worldOf<BankingWorld>(caller.userId).bank_account.scheduled_transactions,
});
