import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { channel } from '../../arguments.ts';
import { sendersIn } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** Anyone in the workspace writes messages: what this returns is untrusted. */
export const readChannelMessages = defineTool({
  name: 'read_channel_messages',
  description:
    'Read the messages from the given channel. Returns each message with its sender, recipient and body, or "-1" if there is no such channel.',
  input: z.strictObject({ channel: channel('The channel to read the messages from') }),
  risk: 'read',
  output: 'untrusted',
  records: { member: sendersIn },
  ...toolSettings,
  handler: async ({ channel: where }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    return slack.channels.includes(where) ? (slack.channel_inbox[where] ?? []) : '-1';
  },
});
