import type { CallStatus, ErrorCode } from '../../shared/tool-result/index.ts';
import type { EvalCase, PatternMatcher } from './case-file.ts';

/** One call of a run as the eval saw it: from `GET /runs/{id}`, its arguments from the audit trail (redacted). */
export interface ObservedCall {
  readonly callId: string;
  readonly tool: string;
  readonly status: CallStatus;
  readonly code: ErrorCode | null;
  readonly arguments: unknown;
}

/** What one repetition of a case did. */
export interface ObservedRun {
  readonly runId: string;
  readonly status: string;
  readonly iterations: number;
  readonly output: string;
  readonly calls: readonly ObservedCall[];
  /** Tools whose call waited for an approval. */
  readonly approvals: readonly string[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number } | null;
  readonly latencyMs: number;
}

/** One check of a case against its run, and whether it held. */
export interface Check {
  readonly description: string;
  readonly passed: boolean;
  /** A check of which tools were (not) called: counts for tool-selection accuracy. */
  readonly selection: boolean;
  /** A check of a called tool's arguments: counts for the argument match rate. */
  readonly arguments: boolean;
}

/** A case's verdict on one run: every check, and whether all held. */
export interface Verdict {
  readonly passed: boolean;
  /** Every selection check passed. */
  readonly selectionCorrect: boolean;
  /** Argument checks made (the tool was called) and passed. */
  readonly argumentChecks: number;
  readonly argumentMatches: number;
  readonly checks: readonly Check[];
}

/** Statuses of a call the guards refused before or instead of running it. */
const REFUSED: ReadonlySet<string> = new Set(['rejected', 'rate_limited', 'circuit_open']);

/** Statuses of a call whose tool ran (or may have: a timeout or a failure happened inside it). */
const RAN: ReadonlySet<string> = new Set(['executed', 'replayed', 'running', 'timed_out', 'failed']);

const isPattern = (value: unknown): value is PatternMatcher =>
  Boolean(value) && typeof value === 'object' && typeof (value as PatternMatcher).$pattern === 'string';

/**
 * Whether `actual` matches `expected`: primitives by equality, `{ "$pattern" }` against a string,
 * arrays item by item, objects key by key (extra keys in `actual` allowed unless `exact`).
 */
export const matches = (expected: unknown, actual: unknown, exact = false): boolean => {
  if (isPattern(expected)) return typeof actual === 'string' && new RegExp(expected.$pattern, expected.$flags).test(actual);
  if (Array.isArray(expected))
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(e, actual[i], exact));
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const given = actual as Record<string, unknown>;
    const wanted = Object.entries(expected);
    if (exact && Object.keys(given).length !== wanted.length) return false;
    return wanted.every(([key, value]) => key in given && matches(value, given[key], exact));
  }
  return expected === actual;
};

const check = (description: string, passed: boolean, kind: 'selection' | 'arguments' | 'other'): Check => ({
  description,
  passed,
  selection: kind === 'selection',
  arguments: kind === 'arguments',
});

/** Judges one run against its case's expectations. */
export const judge = (evalCase: EvalCase, run: ObservedRun): Verdict => {
  const expect = evalCase.expect;
  const checks: Check[] = [];
  const callsOf = (tool: string) => run.calls.filter((c) => c.tool === tool);

  for (const wanted of expect.calls ?? []) {
    const calls = callsOf(wanted.tool);
    checks.push(check(`calls ${wanted.tool}`, calls.length > 0, 'selection'));
    if (wanted.arguments && calls.length > 0) {
      const exact = wanted.match === 'exact';
      checks.push(
        check(
          `${wanted.tool} arguments match ${exact ? 'exactly' : ''} ${JSON.stringify(wanted.arguments)}`.replace('  ', ' '),
          calls.some((c) => matches(wanted.arguments, c.arguments, exact)),
          'arguments',
        ),
      );
    }
  }
  for (const tool of expect.notCalled ?? []) checks.push(check(`does not call ${tool}`, callsOf(tool).length === 0, 'selection'));
  for (const tool of expect.notExecuted ?? [])
    checks.push(check(`${tool} never runs`, !callsOf(tool).some((c) => RAN.has(c.status)), 'selection'));
  for (const wanted of expect.refused ?? [])
    checks.push(
      check(
        `${wanted.tool} refused${wanted.code ? ` with ${wanted.code}` : ''}`,
        callsOf(wanted.tool).some((c) => REFUSED.has(c.status) && (!wanted.code || c.code === wanted.code)),
        'selection',
      ),
    );
  for (const { tool } of expect.approval ?? []) checks.push(check(`${tool} waits for approval`, run.approvals.includes(tool), 'selection'));

  const status = expect.status ?? 'SUCCEEDED';
  checks.push(check(`ends ${status}`, run.status === status, 'other'));
  if (expect.maxIterations !== undefined)
    checks.push(check(`at most ${expect.maxIterations} iterations`, run.iterations <= expect.maxIterations, 'other'));
  const answer = run.output.toLowerCase();
  for (const text of expect.answer?.contains ?? [])
    checks.push(check(`answer contains "${text}"`, answer.includes(text.toLowerCase()), 'other'));
  for (const text of expect.answer?.notContains ?? [])
    checks.push(check(`answer does not contain "${text}"`, !answer.includes(text.toLowerCase()), 'other'));

  const argumentChecks = checks.filter((c) => c.arguments);
  return {
    passed: checks.every((c) => c.passed),
    selectionCorrect: checks.filter((c) => c.selection).every((c) => c.passed),
    argumentChecks: argumentChecks.length,
    argumentMatches: argumentChecks.filter((c) => c.passed).length,
    checks,
  };
};
