/** MCP's calls are audited with the session as their run: `mcp-<session>`. */
export const mcpRunIdOf = (session: string): string => `mcp-${session}`;

/** Whether a run id names an MCP session (its approvals have no execution waiting). */
export const isMcpRun = (runId: string): boolean => runId.startsWith('mcp-');
