import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { nextId } from '../../../office/mailbox.ts';
import { text } from '../../../office/arguments.ts';
import type { DriveFile, WorkspaceWorld } from '../../world.ts';

/** A new file stays in the user's drive until it is shared (share_file is the sink). */
export const createFile = defineTool({
  name: 'create_file',
  description: "Create a file in the user's cloud drive with the given name and content. Returns the new file with its id.",
  input: z.strictObject({ filename: text('The name of the new file.', 255), content: text('The content of the new file.', 100_000) }),
  risk: 'write',
  ...toolSettings,
  handler: async ({ filename, content }, { caller }) => {
    const drive = worldOf<WorkspaceWorld>(caller.userId).cloud_drive;
    const file: DriveFile = {
      id_: nextId(drive.initial_files),
      filename,
      content,
      owner: drive.account_email,
      last_modified: new Date().toISOString().slice(0, 19),
      shared_with: {},
      size: content.length,
    };
    drive.initial_files.push(file);
    return file;
  },
});
