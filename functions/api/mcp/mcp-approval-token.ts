/** The task token of an approval asked for over MCP: no execution waits on it, the caller calls the tool again. */
export const MCP_APPROVAL_TOKEN = 'mcp:no-execution-waits';

/** MCP's calls are audited with the session as their run: `mcp-<session>`. */
export const mcpRunIdOf = (session: string): string => `mcp-${session}`;

/** Whether a run id names an MCP session (its approvals have no execution waiting). */
export const isMcpRun = (runId: string): boolean => runId.startsWith('mcp-');
