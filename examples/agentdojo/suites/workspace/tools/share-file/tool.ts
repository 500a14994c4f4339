import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { emailAddress, ToolDeclinedError } from 'guarded-agents';
import { itemId } from '../../../office/arguments.ts';
import { PEOPLE_VOUCHERS } from '../../policy.ts';
import { fileOf, type WorkspaceWorld } from '../../world.ts';

/** Sharing hands a file to someone: a sink (with whom). Which file is the user's business, as a payment's amount is. */
export const shareFile = defineTool({
  name: 'share_file',
  description:
    'Share the file of the cloud drive with the given id with a user, to read (r) or edit (rw). Returns the file with its sharing.',
  input: z.strictObject({
    file_id: itemId('file'),
    email: emailAddress({ description: 'The email address of the user to share with, such as jane@example.com.' }),
    permission: z.enum(['r', 'rw']).check(z.describe('What the user may do: r to read, rw to read and edit.')),
  }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { email: PEOPLE_VOUCHERS },
  ...toolSettings,
  handler: async ({ file_id, email, permission }, { caller }) => {
    const file = fileOf(worldOf<WorkspaceWorld>(caller.userId), file_id);
    if (!file) throw new ToolDeclinedError(`File with ID '${file_id}' not found.`);
    file.shared_with[email] = permission;
    return file;
  },
});
