#!/usr/bin/env node
/**
 * `npm run mcp:pin -- <url> [--json]`: list a remote MCP server's tools with the hash a
 * `defineMcpTool` declaration pins each to (and their arguments, to tighten). The same client the
 * deployed proxy uses (no redirects, capped answers). Credentials, when the server wants them, in
 * MCP_AUTH as the secret holds them: `{"bearerToken":"..."}` or `{"headers":{"x-api-key":"..."}}`
 * (the environment, not the command line, so they stay out of the shell's history).
 */
import { createRemoteMcpClient } from '../../functions/commons/remote-mcp/remote-mcp-client.ts';
import { headersFromCredentials, REMOTE_SECRET_SHAPE } from '../../functions/commons/remote-mcp/remote-auth.ts';
import { listingText, pinnedListing } from './remote-listing.ts';

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const url = args.find((a) => !a.startsWith('--')) ?? fail('Usage: npm run mcp:pin -- <server URL> [--json]   (credentials in MCP_AUTH)');
try {
  new URL(url);
} catch {
  fail(`Not a URL: ${url}`);
}
const auth = process.env.MCP_AUTH;
const headers = auth === undefined ? {} : (headersFromCredentials(auth) ?? fail(`MCP_AUTH must be ${REMOTE_SECRET_SHAPE}`));
const client = createRemoteMcpClient({ url, fetch, headers: async () => headers });
try {
  const listing = pinnedListing(await client.list(AbortSignal.timeout(30_000)));
  process.stdout.write(json ? `${JSON.stringify(listing, null, 2)}\n` : listingText(url, listing));
} catch (error) {
  fail(`Could not list the tools of ${url}: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await client.close();
}
