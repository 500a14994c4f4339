import { ErrorCode, ToolError, type ToolErrorOptions } from '../tool-result/index.ts';

/** The tool's breaker is open (or its one probe is in flight): the call was not attempted. */
export class CircuitOpenError extends ToolError {
  constructor(tool: string, retryAfterMs: number, options: ToolErrorOptions = {}) {
    super(ErrorCode.CIRCUIT_OPEN, `${tool} is failing and has been switched off for now.`, {
      suggestion: `Do not call ${tool} for ${Math.ceil(retryAfterMs / 1000)} s; continue without it or tell the user it is unavailable.`,
      retryable: true,
      retryAfterMs,
      ...options,
    });
    this.name = 'CircuitOpenError';
  }
}
