import * as z from 'zod/mini';
import { allowlistedUrl, refusedUrlReason } from '../../../shared/argument-types/index.ts';
import { defaultBreaker, defineTool, limitPresets, type ToolContext } from '../../../shared/tool/index.ts';
import { ToolDeclinedError } from '../../../shared/tool-result/index.ts';
import { readCapped } from './read-capped.ts';

export interface FetchUrlDeps {
  /** The global fetch deployed; injected so tests can stand in for the internet. */
  readonly fetch: typeof fetch;
}

/** Hosts the model may fetch from, matched exactly. Edit here to allow another. */
export const FETCH_ALLOWED_HOSTS = ['docs.aws.amazon.com', 'aws.amazon.com', 'example.com'] as const;
/** What is read from the network at most, and what the model gets at most. */
export const MAX_RESPONSE_BYTES = 262_144;
export const MAX_TEXT_BYTES = 16_384;

const hosts = new Set<string>(FETCH_ALLOWED_HOSTS);

export const fetchUrl = defineTool({
  name: 'fetch_url',
  description: `Fetch a public HTTPS page from an allowlisted host (${FETCH_ALLOWED_HOSTS.join(', ')}). Returns the HTTP status, content type and up to 16 KB of text.`,
  input: z.strictObject({
    url: allowlistedUrl({
      description: `Absolute https URL on one of: ${FETCH_ALLOWED_HOSTS.join(', ')}. No IP addresses, ports or user info. Max 2048 characters.`,
      hosts: [...FETCH_ALLOWED_HOSTS],
    }),
  }),
  risk: 'read',
  limits: limitPresets.read,
  timeoutMs: 5000,
  breaker: defaultBreaker,
  resources: [{ kind: 'internet' }],
  // A page anyone could have written; and its URL (query string included) leaves the company.
  output: 'untrusted',
  reaches: 'external',
  handler: async ({ url }, { deps, signal }: ToolContext<FetchUrlDeps>) => {
    // Checked again at the point of use: the schema is one gate, this is the second.
    const refused = refusedUrlReason(url, hosts);
    if (refused) throw new ToolDeclinedError(`URL refused: ${refused}.`);
    // Redirects are not followed: a redirect to an internal address is the classic way around an allowlist.
    const response = await deps.fetch(url, { redirect: 'manual', signal, headers: { accept: 'text/html, text/plain, application/json' } });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new ToolDeclinedError(`The page redirects (HTTP ${response.status}); redirects are not followed.`, {
        suggestion: 'Fetch the final URL directly if it is on an allowed host.',
      });
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!/^(text\/[a-z.+-]+|application\/(json|xml|[a-z.+-]+\+json))$/.test(contentType)) {
      await response.body?.cancel();
      throw new ToolDeclinedError(`The page is ${contentType || 'of unknown type'}, not text.`);
    }
    const body = await readCapped(response.body, MAX_RESPONSE_BYTES);
    const text = body.text.length > MAX_TEXT_BYTES ? body.text.slice(0, MAX_TEXT_BYTES) : body.text;
    return { url, status: response.status, contentType, text, truncated: body.truncated || text.length < body.text.length };
  },
});
