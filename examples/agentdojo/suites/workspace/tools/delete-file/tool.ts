import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { itemId } from '../../../office/arguments.ts';
import type { WorkspaceWorld } from '../../world.ts';

/** A deleted file is gone for everyone it was shared with: a person every time. */
export const deleteFile = defineTool({
  name: 'delete_file',
  description: 'Delete the file of the cloud drive with the given id. Returns the file deleted, or -1 if there is none.',
  input: z.strictObject({ file_id: itemId('file') }),
  risk: 'destructive',
  ...toolSettings,
  handler: async ({ file_id }, { caller }) => {
    const drive = worldOf<WorkspaceWorld>(caller.userId).cloud_drive;
    const at = drive.initial_files.findIndex((f) => f.id_ === file_id);
    return at < 0 ? -1 : drive.initial_files.splice(at, 1)[0];
  },
});
