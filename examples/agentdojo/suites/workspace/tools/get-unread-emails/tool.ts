import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** Anyone can email the user: what the mailbox returns is untrusted. */
export const getUnreadEmails = defineTool({
  name: 'get_unread_emails',
  description: 'Get the unread emails, and mark them read. Returns each with its id, sender, subject, body and time.',
  input: z.strictObject({}),
  risk: 'read',
  output: 'untrusted',
  ...toolSettings,
  handler: async (_input, { caller }) => {
    const unread = worldOf<WorkspaceWorld>(caller.userId).inbox.initial_emails.filter((e) => !e.read);
    for (const email of unread) email.read = true;
    return unread;
  },
});
