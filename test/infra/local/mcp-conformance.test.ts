import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/cdk-app.ts';
import { useLocalServer } from '../../support/local-server.ts';

/**
 * The official MCP conformance suite against npm start's /mcp: the server scenarios that apply to a
 * tools-only server. The suite sends no Authorization header, so it talks to a small proxy on
 * loopback that adds a local token and otherwise forwards requests as they are (Host and Origin
 * follow the server's port, so the DNS-rebinding checks still meet the server's own).
 */
const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'] as const;
const CLI = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

const local = useLocalServer();
let proxy: Server;
let proxyPort = 0;

beforeAll(async () => {
  const port = local.port;
  const token = local.tokenOfRole('user');
  proxy = createServer((req, res) => {
    const samePort = (value: string | undefined) => value?.replace(`:${proxyPort}`, `:${port}`);
    const headers = { ...req.headers, authorization: `Bearer ${token}`, host: samePort(req.headers.host) ?? '' };
    if (req.headers.origin) headers.origin = samePort(req.headers.origin);
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

describe('the MCP conformance suite (@modelcontextprotocol/conformance) against /mcp', () => {
  it.each(SCENARIOS)('%s passes', async (scenario) => {
    // Results land in the working folder: a fresh one per scenario.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [CLI, 'server', '--url', `http://localhost:${proxyPort}/mcp`, '--scenario', scenario],
      { cwd: mkdtempSync(join(tmpdir(), 'mcp-conformance-')), encoding: 'utf8', timeout: 60_000 },
    ).catch((error: { stdout?: string }) => ({ stdout: `${error.stdout ?? ''}\nexited with an error` }));
    expect(stdout).toMatch(/Passed: (\d+)\/\1, 0 failed/);
    expect(stdout).not.toContain('exited with an error');
  });
});
