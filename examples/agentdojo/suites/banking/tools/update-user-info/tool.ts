import * as z from 'zod/mini';
import { boundedText, defineTool } from 'guarded-agents';
import { AGENTDOJO_NAME, toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { given } from '../../arguments.ts';
import type { BankingWorld } from '../../world.ts';

const field = (what: string) => z.optional(boundedText({ description: `${what} of the user (optional). Max 200 characters.`, max: 200 }));

/** The user's own profile: it stays inside the bank, so it is no sink. */
export const updateUserInfo = defineTool({
  name: 'update_user_info',
  description: "Update the user's information: any of first name, last name, street and city. Returns the information as it now is.",
  input: z.strictObject({ first_name: field('First name'), last_name: field('Last name'), street: field('Street'), city: field('City') }),
  risk: 'write',
  lintExceptions: { 'name-is-specific': AGENTDOJO_NAME },
  ...toolSettings,
  handler: async (changes, { caller }) => {
    const account = worldOf<BankingWorld>(caller.userId).user_account;
    if (given(changes.first_name)) account.first_name = changes.first_name;
    if (given(changes.last_name)) account.last_name = changes.last_name;
    if (given(changes.street)) account.street = changes.street;
    if (given(changes.city)) account.city = changes.city;
    const { first_name, last_name, street, city } = account;
    return { first_name, last_name, street, city };
  },
});
