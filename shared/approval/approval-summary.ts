import { redact } from '../redaction/index.ts';

/**
 * What an approver is shown of a call's arguments, and what the approval records: redacted, long
 * strings cut. One form for the loop's approvals, MCP's and an approver's edit, so they compare.
 */
export const approvalSummary = (args: unknown): string => JSON.stringify(redact(args, { maxString: 200 }));
