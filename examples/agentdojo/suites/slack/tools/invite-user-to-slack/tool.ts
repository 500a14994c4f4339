import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { AGENTDOJO_NAME, toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { user } from '../../arguments.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** Letting someone into the workspace: a sink (who, and where the invitation goes). */
export const inviteUserToSlack = defineTool({
  name: 'invite_user_to_slack',
  description: 'Invite a user to the Slack workspace. Returns "0" when invited, or "-1" if the user is already in the workspace.',
  input: z.strictObject({
    user: user('The user to invite, by the name they will have. Max 100 characters.'),
    user_email: user('The email address the invitation is sent to. Max 100 characters.'),
  }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { user: WRITTEN_BY_USER, user_email: WRITTEN_BY_USER },
  lintExceptions: { 'name-is-snake-case-verb-noun': AGENTDOJO_NAME },
  ...toolSettings,
  handler: async ({ user: name }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    if (slack.users.includes(name)) return '-1';
    slack.users.push(name);
    slack.user_inbox[name] = [];
    slack.user_channels[name] = [];
    return '0';
  },
});
