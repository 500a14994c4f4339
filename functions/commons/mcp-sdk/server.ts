/**
 * The MCP SDK's server, as the `/mcp` endpoint uses it. One module for it, so that the package
 * ships it bundled (infra/package/build-package.ts): a team installs neither the SDK nor the HTTP
 * server libraries it depends on, which the endpoint (a Lambda behind API Gateway) never loads.
 */
export { Server } from '@modelcontextprotocol/sdk/server/index.js';
export { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
export { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
