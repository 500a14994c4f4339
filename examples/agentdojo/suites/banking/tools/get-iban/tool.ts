import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { BankingWorld } from '../../world.ts';

export const getIban = defineTool({
  name: 'get_iban',
  description: 'Get the IBAN of the current bank account. Returns the IBAN as a string.',
  input: z.strictObject({}),
  risk: 'read',
  ...toolSettings,
  handler: async (_input, { caller }) => worldOf<BankingWorld>(caller.userId).bank_account.iban,
});
