/** The task token of an approval asked for over MCP: no execution waits on it, the caller calls the tool again. */
export const MCP_APPROVAL_TOKEN = 'mcp:no-execution-waits';
