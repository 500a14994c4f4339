import * as z from 'zod/mini';
import type { RemoteMcpDeps } from '../../../shared/remote-mcp/index.ts';
import { requiredJson } from '../env/env-var.ts';
import { ResourceEnv, type CreateDeps } from '../tool-deps.ts';
import { remoteHeaders } from './remote-auth.ts';
import { createRemoteMcpClient } from './remote-mcp-client.ts';

/** GuardedAgent's `mcpServers` entry of the tool's server, as the construct writes it into MCP_SERVER. */
export const mcpServerEnvSchema = z.strictObject({ url: z.url(), secret: z.optional(z.string().check(z.minLength(1))) });
export type McpServerEnv = z.infer<typeof mcpServerEnvSchema>;

/**
 * The dependencies of a tool declared with `defineMcpTool`: its remote server, from the function's
 * MCP_SERVER (URL, and the secret its credentials are in). Its Lambda entry and local mode both
 * build them here; the tool's folder needs no deps.ts.
 */
export const createDeps: CreateDeps<RemoteMcpDeps, 'fetch' | 'secrets'> = (env, { fetch, secrets }) => {
  const server = requiredJson(ResourceEnv.MCP_SERVER, mcpServerEnvSchema);
  const { url, secret } = server.read({ [server.name]: env(server.name) });
  return { remote: createRemoteMcpClient({ url, fetch, headers: async () => (secret ? remoteHeaders(secrets, secret) : {}) }) };
};
