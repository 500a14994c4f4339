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

/**
 * The records of a run that has just ended could not be sealed into its chain. No later step would
 * seal them, so the step fails with this and the state machine takes it again (GuardedAgent retries
 * CallModel on it): the repeated step finds the run ended and seals, anchors and archives it.
 */
export const AUDIT_SEAL_ERROR = 'AuditSealError';

export class AuditSealError extends Error {
  constructor(runId: string, options: { readonly cause?: unknown } = {}) {
    super(`The audit records of run ${runId}, which has ended, could not be sealed; the step is taken again.`, options);
    this.name = AUDIT_SEAL_ERROR;
  }
}
