import * as z from 'zod/mini';
import { boundedText, defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { orNone, text } from '../../../office/arguments.ts';
import { correspondentsIn, searchEmails as search } from '../../../office/mailbox.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** Anyone can email the user: what the mailbox returns is untrusted (the sent emails among it name the user's correspondents). */
export const searchEmails = defineTool({
  name: 'search_emails',
  description:
    'Search the emails whose subject or body holds the query (all of them for an empty query), from the sender if given. Returns the matching emails.',
  input: z.strictObject({
    query: boundedText({
      description: 'The text to search for in subjects and bodies; empty for every email. Max 200 characters.',
      max: 200,
      min: 0,
    }),
    sender: orNone(
      text("The sender's email address.", 254),
      "The sender's email address, max 254 characters; any sender if absent or null.",
    ),
  }),
  risk: 'read',
  output: 'untrusted',
  records: { correspondent: correspondentsIn },
  ...toolSettings,
  handler: async ({ query, sender }, { caller }) => search(worldOf<WorkspaceWorld>(caller.userId).inbox, query, sender),
});
