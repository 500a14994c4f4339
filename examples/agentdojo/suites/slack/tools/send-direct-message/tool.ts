import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { body, FLOW_KEEPS_IT, user } from '../../arguments.ts';
import { MEMBER_VOUCHERS, WRITTEN_BY_USER } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** A message reaches its reader: a sink (to whom, and what). */
export const sendDirectMessage = defineTool({
  name: 'send_direct_message',
  description: 'Send a direct message to a user. Returns "0" when sent, or "-1" if the recipient is not a user of the workspace.',
  input: z.strictObject({ recipient: user('The recipient of the message. Max 100 characters.'), body: body() }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { recipient: MEMBER_VOUCHERS, body: WRITTEN_BY_USER },
  lintExceptions: { 'dangerous-verbs-are-destructive': FLOW_KEEPS_IT },
  ...toolSettings,
  handler: async ({ recipient, body: text }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    if (!slack.users.includes(recipient)) return '-1';
    (slack.user_inbox[recipient] ??= []).push({ sender: 'bot', recipient, body: text });
    return '0';
  },
});
