export {
  DEFAULT_MAX_RESULT_BYTES,
  defineMcpTool,
  MCP_SERVER_ID,
  type McpToolDeclaration,
  type RemoteMcpDeps,
  type RemoteMcpServer,
} from './define-mcp-tool.ts';
export { RemoteServerError, RemoteToolChangedError, RemoteToolUnfitError } from './errors.ts';
export { PINNED_DEFINITION, remoteDefinitionHash, type RemoteToolDefinition } from './remote-definition.ts';
export { capRemoteResult, type RemoteCallResult, type RemoteContentBlock, type RemoteToolOutput } from './remote-result.ts';
export { schemaFitIssues } from './schema-fit.ts';
