import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { itemId } from '../../../office/arguments.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** Deleting mail can hide what was sent or received (AgentDojo's injection task 5 deletes its own traces): a person every time. */
export const deleteEmail = defineTool({
  name: 'delete_email',
  description: 'Move the email with the given id to the trash. Returns "-1" if there is no such email, else the email deleted.',
  input: z.strictObject({ email_id: itemId('email') }),
  risk: 'destructive',
  ...toolSettings,
  handler: async ({ email_id }, { caller }) => {
    const { inbox } = worldOf<WorkspaceWorld>(caller.userId);
    const at = inbox.initial_emails.findIndex((e) => e.id_ === email_id);
    if (at < 0) return '-1';
    const [email] = inbox.initial_emails.splice(at, 1);
    inbox.trash[email_id] = email!;
    return email;
  },
});
