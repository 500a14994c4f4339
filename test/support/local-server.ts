import type { Server } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll } from 'vitest';
import { startDemoSystem, type DemoSystem } from '../../infra/local/demo-app.ts';
import { createApiServer, listen } from '../../infra/local/http-server.ts';
import { loadLocalUsers, type LocalUser } from '../../infra/local/local-users.ts';
import type { GuardedAgentsStackProps } from '../../infra/guarded-agents-stack.ts';
import type { LocalSystemOptions } from '../../infra/local/system/options.ts';

/** Polls until the probe answers something: wait for the state asserted on, never for time. */
export const until = async <T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

/**
 * The demo's local system served over HTTP on a free port for the tests of this file, as npm start
 * serves it, with the local users. Read the fields inside tests (they are set in beforeAll).
 */
export const useLocalServer = (
  options: {
    /** More local users than the file's (tenants' members). */
    readonly extraUsers?: readonly LocalUser[];
    /** Settings of the demo stack deployed differently (budgets over windows). */
    readonly stack?: Pick<GuardedAgentsStackProps, 'spendBudgets' | 'approvalEscalation' | 'mcpLabelLifetime' | 'policies'>;
    /** Wraps each Lambda invocation the state machine makes (a crash played on purpose). */
    readonly instrumentInvoke?: LocalSystemOptions['instrumentInvoke'];
  } = {},
) => {
  const users = [...loadLocalUsers(), ...(options.extraUsers ?? [])];
  const world = {
    users,
    system: undefined as unknown as DemoSystem,
    port: 0,
    base: '',
    tokenOf: (userId: string) => users.find((u) => u.userId === userId)?.token as string,
    tokenOfRole: (group: string) => users.find((u) => u.groups.includes(group))?.token as string,
    /** A JSON request to the API with a bearer token: its status and parsed body. */
    api: async (method: string, path: string, token: string, body?: unknown) => {
      const response = await fetch(`${world.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    /** The official SDK's MCP client on /mcp with a user's token. */
    mcpClient: async (token: string) => {
      const transport = new StreamableHTTPClientTransport(new URL('/mcp', world.base), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      });
      const client = new Client({ name: 'test-client', version: '1.0.0' });
      await client.connect(transport);
      return { client, session: transport.sessionId as string, close: () => client.close() };
    },
  };
  let server: Server;
  beforeAll(async () => {
    world.system = await startDemoSystem({
      users,
      ...(options.stack ? { stack: options.stack } : {}),
      ...(options.instrumentInvoke ? { instrumentInvoke: options.instrumentInvoke } : {}),
    });
    server = createApiServer(world.system.deps, users);
    world.port = await listen(server, 0);
    world.base = `http://127.0.0.1:${world.port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await world.system.stop();
  });
  return world;
};
