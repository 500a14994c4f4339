import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { WorkspaceWorld } from '../../world.ts';

export const getCurrentDay = defineTool({
  name: 'get_current_day',
  description: "Get today's date, so the agent need not assume it. Returns the day in ISO format, such as 2024-05-15.",
  input: z.strictObject({}),
  risk: 'read',
  ...toolSettings,
  handler: async (_input, { caller }) => worldOf<WorkspaceWorld>(caller.userId).calendar.current_day,
});
