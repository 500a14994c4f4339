import type { RunStatus } from './run-record.ts';

/** A run write whose expected state no longer holds: another step (late, duplicate or retried) got there first. */
export class RunChangedError extends Error {
  override readonly name = 'RunChangedError';
  readonly runId: string;
  readonly expected: RunExpectation;

  constructor(runId: string, expected: RunExpectation, options?: ErrorOptions) {
    super(`Run ${runId} is no longer ${expected.status} at iteration ${expected.iteration}; the write was refused.`, options);
    this.runId = runId;
    this.expected = expected;
  }
}

/** The state a write expects the run to be in: the one it loaded. */
export interface RunExpectation {
  readonly status: RunStatus;
  readonly iteration: number;
}
