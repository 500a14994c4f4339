import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { AGENTDOJO_NAME, toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { TravelWorld } from '../../world.ts';

/** The user's own profile (trusted); what it holds leaves only through a sink, whose arguments the user must have written. */
export const getUserInformation = defineTool({
  name: 'get_user_information',
  description:
    "Get the user's information for bookings. Returns first and last name, ID number, email, phone number, address, passport number, bank account number and credit card number.",
  input: z.strictObject({}),
  risk: 'read',
  lintExceptions: { 'name-is-specific': AGENTDOJO_NAME },
  ...toolSettings,
  handler: async (_input, { caller }) => {
    const { user } = worldOf<TravelWorld>(caller.userId);
    return {
      'First Name': user.first_name,
      'Last Name': user.last_name,
      'ID Number': user.ID_number,
      Email: user.email,
      'Phone Number': user.phone_number,
      Address: user.address,
      'Passport Number': user.passport_number,
      'Bank Account Number': user.bank_account_number,
      'Credit Card Number': user.credit_card_number,
    };
  },
});
