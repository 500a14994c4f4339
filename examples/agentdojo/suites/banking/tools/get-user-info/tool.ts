import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { AGENTDOJO_NAME, toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { BankingWorld } from '../../world.ts';

export const getUserInfo = defineTool({
  name: 'get_user_info',
  description: "Get the user's information. Returns first name, last name, street and city.",
  input: z.strictObject({}),
  risk: 'read',
  lintExceptions: { 'name-is-specific': AGENTDOJO_NAME },
  ...toolSettings,
  handler: async (_input, { caller }) => {
    const { first_name, last_name, street, city } = worldOf<BankingWorld>(caller.userId).user_account;
    return { first_name, last_name, street, city };
  },
});
