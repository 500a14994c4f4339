import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** Shared documents are written by whoever may edit them: what the drive returns is untrusted. */
export const listFiles = defineTool({
  name: 'list_files',
  description: 'List every file in the cloud drive. Returns each with its id, filename, content, owner, sharing, size and last change.',
  input: z.strictObject({}),
  risk: 'read',
  output: 'untrusted',
  ...toolSettings,
  handler: async (_input, { caller }) => worldOf<WorkspaceWorld>(caller.userId).cloud_drive.initial_files,
});
