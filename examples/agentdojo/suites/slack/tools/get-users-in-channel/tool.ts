import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { channel } from '../../arguments.ts';
import { membersIn } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** Members' names: only an invitation (a sink call) puts one there. */
export const getUsersInChannel = defineTool({
  name: 'get_users_in_channel',
  description: 'Get the list of users in the given channel. Returns their names, or null if there is no such channel.',
  input: z.strictObject({ channel: channel('The channel to get the users from') }),
  risk: 'read',
  records: { member: membersIn },
  ...toolSettings,
  handler: async ({ channel: where }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    if (!slack.channels.includes(where)) return null;
    return Object.entries(slack.user_channels).flatMap(([name, channels]) => (channels.includes(where) ? [name] : []));
  },
});
