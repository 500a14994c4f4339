import * as z from 'zod/mini';
import { boundedText, defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import type { BankingWorld } from '../../world.ts';

/** Files come from outside (a bill, a landlord's letter): what this returns is untrusted. */
export const readFile = defineTool({
  name: 'read_file',
  description: "Read the contents of the file at the given path. Returns the file's text, or an empty list if there is no such file.",
  input: z.strictObject({
    file_path: boundedText({ description: 'The path to the file to read, such as bill-december-2023.txt.', max: 200 }),
  }),
  risk: 'read',
  output: 'untrusted',
  ...toolSettings,
  handler: async ({ file_path }, { caller }) => worldOf<BankingWorld>(caller.userId).filesystem.files[file_path] ?? [],
});
