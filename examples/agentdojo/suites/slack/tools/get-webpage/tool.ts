import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { url } from '../../arguments.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import { type SlackWorld, standardUrl } from '../../world.ts';

/** A page anyone wrote (untrusted), at an address whose owner sees the visit (a sink). */
export const getWebpage = defineTool({
  name: 'get_webpage',
  description: 'Read the webpage at a given URL. Returns its content, or null if there is no such page.',
  input: z.strictObject({ url: url() }),
  risk: 'read',
  output: 'untrusted',
  reaches: 'external',
  sinkArguments: { url: WRITTEN_BY_USER },
  ...toolSettings,
  handler: async ({ url: address }, { caller }) => {
    const { web } = worldOf<SlackWorld>(caller.userId);
    const key = standardUrl(address);
    web.web_requests.push(key);
    return web.web_content[key] ?? null;
  },
});
