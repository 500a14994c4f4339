import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../harness/tool-settings.ts';
import { worldOf } from '../../harness/worlds.ts';
import { text } from '../office/arguments.ts';
import type { WorkspaceWorld } from './world.ts';

/**
 * AgentDojo's plain searches (contacts by name or email, files by name or content): the items whose
 * field holds the text, in any case. What they return is untrusted: anyone who emails the user
 * becomes a contact, and shared documents are written by whoever may edit them. Each such tool is
 * this one shape; each is still a declaration of its own, in its own folder.
 */
export const textSearch = <Item>(options: {
  readonly name: string;
  readonly description: string;
  /** AgentDojo's name for the text argument, and what it holds. */
  readonly argument: 'query' | 'filename';
  readonly holds: string;
  readonly items: (world: WorkspaceWorld) => readonly Item[];
  readonly field: (item: Item) => string;
}) =>
  defineTool({
    name: options.name,
    description: options.description,
    input: z.strictObject({ [options.argument]: text(options.holds, 255) }),
    risk: 'read',
    output: 'untrusted',
    ...toolSettings,
    handler: async (input, { caller }) => {
      const wanted = ((input as Record<string, string>)[options.argument] ?? '').toLowerCase();
      return options.items(worldOf<WorkspaceWorld>(caller.userId)).filter((item) => options.field(item).toLowerCase().includes(wanted));
    },
  });
