import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { channel, user } from '../../arguments.ts';
import { MEMBER_VOUCHERS, WRITTEN_BY_USER } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** Letting someone into a channel lets them read it: a sink (who, and where). */
export const addUserToChannel = defineTool({
  name: 'add_user_to_channel',
  description: 'Add a user to a given channel. Returns "0" when added, "-1" if the user is not found, "-2" if the channel is not found.',
  input: z.strictObject({
    user: user('The user to add to the channel. Max 100 characters.'),
    channel: channel('The channel to add the user to'),
  }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { user: MEMBER_VOUCHERS, channel: WRITTEN_BY_USER },
  ...toolSettings,
  handler: async ({ user: name, channel: where }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    if (!slack.users.includes(name)) return '-1';
    if (!slack.channels.includes(where)) return '-2';
    (slack.user_channels[name] ??= []).push(where);
    return '0';
  },
});
