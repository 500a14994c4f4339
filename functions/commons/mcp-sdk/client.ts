/**
 * The MCP SDK's client, as remote MCP servers' tools and `guarded-agents-mcp-pin` use it. One
 * module for it, so that the package ships it bundled (infra/package/build-package.ts), apart from
 * the server: a tool's function carries only the client.
 */
export { Client } from '@modelcontextprotocol/sdk/client/index.js';
export { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
