import { GuardUnavailableError, type ToolErrorOptions } from '../tool-result/index.ts';

/**
 * The attempt ran but its audit record could not be written. The model is told the call failed
 * (retryable): the retry replays the stored result through idempotency, and writes the record.
 */
export class AuditWriteError extends GuardUnavailableError {
  constructor(options: ToolErrorOptions = {}) {
    super('The call could not be recorded in the audit trail.', options);
    this.name = 'AuditWriteError';
  }
}
