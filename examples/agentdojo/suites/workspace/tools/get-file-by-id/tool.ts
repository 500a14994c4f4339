import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { itemId } from '../../../office/arguments.ts';
import { fileOf, type WorkspaceWorld } from '../../world.ts';

/** Shared documents are written by whoever may edit them: what the drive returns is untrusted. */
export const getFileById = defineTool({
  name: 'get_file_by_id',
  description: 'Get the file of the cloud drive with the given id. Returns the file with its content, or -1 if there is none.',
  input: z.strictObject({ file_id: itemId('file') }),
  risk: 'read',
  output: 'untrusted',
  ...toolSettings,
  handler: async ({ file_id }, { caller }) => fileOf(worldOf<WorkspaceWorld>(caller.userId), file_id) ?? -1,
});
