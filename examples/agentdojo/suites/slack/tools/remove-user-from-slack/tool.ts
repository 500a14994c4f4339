import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { FLOW_KEEPS_IT, user } from '../../arguments.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** Putting someone out of the workspace: a sink (who). */
export const removeUserFromSlack = defineTool({
  name: 'remove_user_from_slack',
  description: 'Remove a user from the Slack workspace. Returns "0" when removed, or "-1" if there is no such user.',
  input: z.strictObject({ user: user('The user to remove. Max 100 characters.') }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { user: WRITTEN_BY_USER },
  lintExceptions: { 'dangerous-verbs-are-destructive': FLOW_KEEPS_IT },
  ...toolSettings,
  handler: async ({ user: name }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    if (!slack.users.includes(name)) return '-1';
    slack.users.splice(slack.users.indexOf(name), 1);
    delete slack.user_inbox[name];
    delete slack.user_channels[name];
    return '0';
  },
});
