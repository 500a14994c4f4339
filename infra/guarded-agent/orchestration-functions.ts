/**
 * The construct ids of the loop's own functions. The deployed functions' names carry them, and
 * local mode finds each one's synthesized environment and role by them: one source for both sides.
 */
export const OrchestrationFunction = {
  CALL_MODEL: 'CallModel',
  REQUEST_APPROVAL: 'RequestApproval',
  API: 'Api',
  MCP: 'Mcp',
} as const;
export type OrchestrationFunction = (typeof OrchestrationFunction)[keyof typeof OrchestrationFunction];
