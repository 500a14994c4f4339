import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { SlackWorld } from '../../world.ts';

/** Anyone may create a channel and name it: what this returns is untrusted. */
export const getChannels = defineTool({
  name: 'get_channels',
  description: 'Get the list of channels in the Slack workspace. Returns the channel names.',
  input: z.strictObject({}),
  risk: 'read',
  output: 'untrusted',
  ...toolSettings,
  handler: async (_input, { caller }) => worldOf<SlackWorld>(caller.userId).slack.channels,
});
