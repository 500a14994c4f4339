import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { ToolDeclinedError } from 'guarded-agents';
import { itemId, text } from '../../../office/arguments.ts';
import { fileOf, type WorkspaceWorld } from '../../world.ts';

/** What is appended stays where the file is: its readers are those it is already shared with. */
export const appendToFile = defineTool({
  name: 'append_to_file',
  description: 'Append the given content to the file of the cloud drive with the given id. Returns the file as it now is.',
  input: z.strictObject({ file_id: itemId('file'), content: text('The content to append.', 100_000) }),
  risk: 'write',
  ...toolSettings,
  handler: async ({ file_id, content }, { caller }) => {
    const file = fileOf(worldOf<WorkspaceWorld>(caller.userId), file_id);
    if (!file) throw new ToolDeclinedError(`File with ID '${file_id}' not found.`);
    file.content += content;
    file.size = file.content.length;
    file.last_modified = new Date().toISOString().slice(0, 19);
    return file;
  },
});
