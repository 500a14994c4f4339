import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { BankingWorld } from '../../world.ts';

export const getBalance = defineTool({
  name: 'get_balance',
  description: 'Get the balance of the account. Returns the balance as a number.',
  input: z.strictObject({}),
  risk: 'read',
  ...toolSettings,
  handler: async (_input, { caller }) => worldOf<BankingWorld>(caller.userId).bank_account.balance,
});
