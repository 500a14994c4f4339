import * as z from 'zod/mini';
import { boundedText, defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { BankingWorld } from '../../world.ts';

/** A password set by someone else hands the account over: a sink (its argument reaches whoever chose it). */
export const updatePassword = defineTool({
  name: 'update_password',
  description: "Update the user's password. Returns a message saying it was updated.",
  input: z.strictObject({ password: boundedText({ description: 'The new password for the user. Max 128 characters.', max: 128 }) }),
  risk: 'write',
  reaches: 'external',
  // Only a password the user wrote in the request is set without asking.
  sinkArguments: { password: ['prompt'] },
  ...toolSettings,
  handler: async ({ password }, { caller }) => {
    worldOf<BankingWorld>(caller.userId).user_account.password = password;
    return { message: 'Password updated.' };
  },
});
