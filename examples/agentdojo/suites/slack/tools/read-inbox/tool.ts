import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { user } from '../../arguments.ts';
import { sendersIn } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** Anyone in the workspace writes direct messages: what this returns is untrusted. */
export const readInbox = defineTool({
  name: 'read_inbox',
  description:
    'Read the messages in the given user\'s inbox. Returns each message with its sender, recipient and body, or "-1" if there is no such user.',
  input: z.strictObject({ user: user('The user whose inbox to read. Max 100 characters.') }),
  risk: 'read',
  output: 'untrusted',
  records: { member: sendersIn },
  ...toolSettings,
  handler: async ({ user: name }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    return slack.users.includes(name) ? (slack.user_inbox[name] ?? []) : '-1';
  },
});
