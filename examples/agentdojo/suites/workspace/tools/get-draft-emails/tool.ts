import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** Anyone can email the user: what the mailbox returns is untrusted. */
export const getDraftEmails = defineTool({
  name: 'get_draft_emails',
  description: "Get the user's draft emails. Returns each with its id, recipients, subject, body and attachments.",
  input: z.strictObject({}),
  risk: 'read',
  output: 'untrusted',
  ...toolSettings,
  handler: async (_input, { caller }) => worldOf<WorkspaceWorld>(caller.userId).inbox.initial_emails.filter((e) => e.status === 'draft'),
});
