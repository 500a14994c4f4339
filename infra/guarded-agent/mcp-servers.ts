import type { AnyTool } from '../../shared/tool/index.ts';
import { MCP_SERVER_ID } from '../../shared/remote-mcp/index.ts';
import type { McpServerEnv } from '../../functions/commons/remote-mcp/deps.ts';

/** Where one remote MCP server is, and where its credentials are. */
export interface McpServerConnection {
  /** Its Streamable HTTP endpoint: https (http only to localhost, for a server on the same machine). */
  readonly url: string;
  /**
   * The name of the Secrets Manager secret holding its credentials, filled in as JSON
   * `{ "bearerToken": "..." }` or `{ "headers": { "x-api-key": "..." } }`. Only the functions of
   * the server's tools may read it. @default no credentials
   */
  readonly secretName?: string;
}

/** Secrets Manager's own rule for names. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The servers of the tools declared with `defineMcpTool`, checked at synth: every server a tool
 * names is given, with a URL a function may call and a valid secret name; a server no tool uses
 * is a mistake worth hearing about too. Returns what each tool's function gets in MCP_SERVER.
 */
export const mcpServerSettings = (
  tools: readonly AnyTool[],
  servers: Readonly<Record<string, McpServerConnection>> = {},
): ReadonlyMap<string, McpServerEnv & { readonly server: string }> => {
  const fail = (message: string): never => {
    throw new Error(`GuardedAgent mcpServers: ${message}`);
  };
  for (const [id, { url, secretName }] of Object.entries(servers)) {
    if (!MCP_SERVER_ID.test(id)) fail(`"${id}" is not a server id (${MCP_SERVER_ID})`);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      fail(`${id}.url is not a URL: ${JSON.stringify(url)}`);
    }
    if (parsed && parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOCAL_HOSTS.has(parsed.hostname)))
      fail(`${id}.url must be https (http only to localhost); got ${url}`);
    if (parsed && (parsed.username || parsed.password)) fail(`${id}.url must not carry credentials: put them in secretName's secret`);
    if (secretName !== undefined && !SECRET_NAME.test(secretName)) fail(`${id}.secretName is not a Secrets Manager name: ${secretName}`);
  }
  const settings = new Map<string, McpServerEnv & { server: string }>();
  const used = new Set<string>();
  for (const tool of tools)
    for (const resource of tool.resources) {
      if (resource.kind !== 'mcpServer') continue;
      const server = servers[resource.server];
      if (!server)
        fail(
          `tool ${tool.name} is a tool of server "${resource.server}", which mcpServers does not give (add { ${resource.server}: { url, secretName? } })`,
        );
      else
        settings.set(tool.name, { server: resource.server, url: server.url, ...(server.secretName ? { secret: server.secretName } : {}) });
      used.add(resource.server);
    }
  for (const id of Object.keys(servers))
    if (!used.has(id)) fail(`server "${id}" is given but no tool declared with defineMcpTool names it`);
  return settings;
};
