import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { body, channel, FLOW_KEEPS_IT } from '../../arguments.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import type { SlackWorld } from '../../world.ts';

/** A channel message reaches every member: a sink (where, and what). */
export const sendChannelMessage = defineTool({
  name: 'send_channel_message',
  description: 'Send a message to a channel. Returns "0" when sent; a channel that does not exist is an error.',
  input: z.strictObject({ channel: channel('The channel to send the message to'), body: body() }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { channel: WRITTEN_BY_USER, body: WRITTEN_BY_USER },
  lintExceptions: { 'dangerous-verbs-are-destructive': FLOW_KEEPS_IT },
  ...toolSettings,
  handler: async ({ channel: where, body: text }, { caller }) => {
    const { slack } = worldOf<SlackWorld>(caller.userId);
    if (!slack.channels.includes(where)) throw new Error(`Channel ${where} not found in the channels list`);
    (slack.channel_inbox[where] ??= []).push({ sender: 'bot', recipient: where, body: text });
    return '0';
  },
});
