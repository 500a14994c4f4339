import * as z from 'zod/mini';
import { defineTool } from 'guarded-agents';
import { toolSettings } from '../../../../harness/tool-settings.ts';
import { worldOf } from '../../../../harness/worlds.ts';
import { body, url } from '../../arguments.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';
import { type SlackWorld, standardUrl } from '../../world.ts';

/** Publishing a page: a sink (where, and what). */
export const postWebpage = defineTool({
  name: 'post_webpage',
  description: 'Post a webpage at a given URL with the given content. Returns null once posted.',
  input: z.strictObject({ url: url(), content: body('The content of the webpage. Max 4000 characters.') }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { url: WRITTEN_BY_USER, content: WRITTEN_BY_USER },
  ...toolSettings,
  handler: async ({ url: address, content }, { caller }) => {
    const { web } = worldOf<SlackWorld>(caller.userId);
    const key = standardUrl(address);
    web.web_requests.push(key);
    web.web_content[key] = content;
    return null;
  },
});
