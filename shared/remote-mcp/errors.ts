import { ToolFailedError, type ToolErrorOptions } from '../tool-result/index.ts';

const ASK_OPERATOR = 'Use another approach, and tell the user the tool needs its operator: its remote server changed.';

/**
 * The remote tool is not what its declaration pinned: its definition hashes differently, or the
 * server no longer lists it. The call is not forwarded, and the breaker opens at once: the tool
 * leaves the model's list (and MCP's), and after each cooldown one probe looks again.
 */
export class RemoteToolChangedError extends ToolFailedError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(message, { suggestion: ASK_OPERATOR, opensBreaker: true, ...options });
    this.name = 'RemoteToolChangedError';
  }
}

/** The declared input schema does not fit the remote tool's (see `schemaFitIssues`); nothing is forwarded, and the breaker opens at once. */
export class RemoteToolUnfitError extends ToolFailedError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(message, { suggestion: ASK_OPERATOR, opensBreaker: true, ...options });
    this.name = 'RemoteToolUnfitError';
  }
}

/** The remote server could not be reached, refused the credentials, or answered outside the protocol. */
export class RemoteServerError extends ToolFailedError {
  constructor(message: string, options: ToolErrorOptions = {}) {
    super(message, { suggestion: 'Try again later or use another approach.', retryable: true, ...options });
    this.name = 'RemoteServerError';
  }
}
