import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, REPO_ROOT } from '../../infra/cdk-app.ts';
import type { LocalSystem } from '../../infra/local/local-system.ts';
import { invokeBundle, synthesizedBundles, type Bundles } from '../support/lambda-bundles.ts';
import type { RemoteMcpStandIn } from '../support/remote-mcp-server.ts';
import { startRemoteToolsSystem } from '../support/remote-tools-system.ts';

/**
 * A remote MCP server's tool as `cdk synth` bundles it: its generated entry (tool.ts and the
 * package's client, no deps.ts), run in a fresh process with the template's environment, reads its
 * credentials from Secrets Manager (the embedded one) and calls the stand-in server.
 */
const TOKEN = 'stand-in-token-bundle-19';
let world: Awaited<ReturnType<typeof startRemoteToolsSystem>>;
let remote: RemoteMcpStandIn;
let system: LocalSystem;
let outdir: string;
let bundles: Bundles;
beforeAll(async () => {
  world = await startRemoteToolsSystem(TOKEN);
  ({ remote, system } = world);
  const { app } = world;
  await mkdir(join(REPO_ROOT, 'dist'), { recursive: true });
  outdir = await mkdtemp(join(REPO_ROOT, 'dist', 'remote-bundles-'));
  const cdkApp = createApp({ outdir });
  bundles = await synthesizedBundles(cdkApp, app.agent(cdkApp), outdir, system.tableNames);
}, 180_000);
afterAll(async () => {
  await world?.stop();
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

const invoke = (tool: string, args: unknown, callId: string) =>
  invokeBundle(
    bundles.get(tool)!,
    tool,
    { runId: 'run-remote-bundle', callId, tool, caller: { userId: 'uma', groups: ['user'] }, arguments: args },
    { dynamoDb: system.dynamoDbEndpoint, secretsManager: system.secretsManagerEndpoint },
  );

describe('a remote MCP server’s tool, bundled', () => {
  it('calls the server with the credentials from its secret, through the whole pipeline', async () => {
    expect(await invoke('search_docs', { query: 'bundled refunds' }, 'c1-1')).toMatchObject({
      ok: true,
      data: { text: 'Guide: bundled refunds\nFAQ: bundled refunds', truncated: false },
    });
    expect(remote.calls.at(-1)).toEqual({ tool: 'search', args: { query: 'bundled refunds' }, authorization: `Bearer ${TOKEN}` });
  });

  it('refuses a stale pin in the bundle too, and calls nothing', async () => {
    const before = remote.calls.length;
    expect(await invoke('search_docs_stale', { query: 'refunds' }, 'c1-2')).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
    expect(remote.calls).toHaveLength(before);
  });

  it('stays within its size budget (the SDK client and its schema validator are most of it)', async () => {
    const { size } = await stat(bundles.get('search_docs')!.file);
    console.log(`remote MCP tool bundle: ${(size / 1024).toFixed(1)} KB`);
    expect(size).toBeLessThan(900 * 1024);
  });
});
