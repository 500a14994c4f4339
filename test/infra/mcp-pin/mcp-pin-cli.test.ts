import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/cdk-app.ts';
import type { PinnedListing } from '../../../infra/mcp-pin/remote-listing.ts';
import { remoteTools } from '../../fixtures/remote-mcp/remote-app.ts';
import { startRemoteMcpServer, type RemoteMcpStandIn } from '../../support/remote-mcp-server.ts';

const run = promisify(execFile);
const CLI = join(REPO_ROOT, 'infra', 'mcp-pin', 'mcp-pin-cli.ts');
const TOKEN = 'stand-in-token-pin-0042';
let remote: RemoteMcpStandIn;
beforeAll(async () => {
  remote = await startRemoteMcpServer({ token: TOKEN });
});
afterAll(async () => remote?.stop());

const pin = (args: string[], auth?: string) =>
  run(process.execPath, [CLI, ...args], { env: { ...process.env, ...(auth === undefined ? {} : { MCP_AUTH: auth }) } });

describe('npm run mcp:pin', () => {
  it('prints the hash the proxy checks, for every tool the server lists', async () => {
    const { stdout } = await pin([remote.url, '--json'], JSON.stringify({ bearerToken: TOKEN }));
    const listing = JSON.parse(stdout) as PinnedListing[];
    expect(listing.map((t) => t.remoteName)).toEqual(['fail', 'page', 'search', 'wipe_everything']);
    expect(listing.find((t) => t.remoteName === 'search')).toMatchObject({
      arguments: ['query: string', 'limit?: integer'],
      annotations: { readOnlyHint: true },
    });
    // The fixture's declarations pinned what the CLI printed (all but the one pinned to a past definition).
    const pins = remoteTools.flatMap((t) => t.resources.flatMap((r) => (r.kind === 'mcpServer' ? [[r.remoteName, r.pinned]] : [])));
    const printed = new Map(listing.map((t) => [t.remoteName, t.pinned]));
    expect(pins.filter(([name, pinned]) => printed.get(name as string) !== pinned)).toEqual([
      ['search', 'sha256:0000000000000000000000000000000000000000000000000000000000000000'],
    ]);
  });

  it('says what it needs when the credentials are missing or not in the secret’s shape', async () => {
    await expect(pin([remote.url])).rejects.toMatchObject({ stderr: expect.stringMatching(/Could not list the tools .*HTTP 401/) });
    await expect(pin([remote.url], 'token=abc')).rejects.toMatchObject({ stderr: expect.stringMatching(/MCP_AUTH must be/) });
    await expect(pin([])).rejects.toMatchObject({ stderr: expect.stringMatching(/Usage: npm run mcp:pin/) });
  });
});
