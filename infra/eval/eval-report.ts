import type { EvalCase } from './case-file.ts';
import { judge, type ObservedRun, type Verdict } from './judge.ts';
import { percent, textTable } from '../text-table.ts';

export { percent } from '../text-table.ts';

/** One repetition: what the run did and its verdict, or why the harness could not run it. */
export type Repetition =
  | { readonly observed: ObservedRun; readonly verdict: Verdict; readonly error?: undefined }
  | { readonly error: string; readonly observed?: undefined; readonly verdict?: undefined };

/** USD per million input and output tokens, as the deployer pays them. */
export interface Prices {
  readonly inputPerMillion: number;
  readonly outputPerMillion: number;
}

/**
 * One case's figures over its repetitions: pass rate, tool selection, arguments, tokens, latency.
 */
export interface CaseSummary {
  readonly name: string;
  readonly role: string;
  readonly tags: readonly string[];
  readonly repetitions: number;
  readonly passRate: number;
  readonly selectionAccuracy: number;
  /** Null when no repetition had an argument to check (the tool was never called). */
  readonly argumentMatchRate: number | null;
  /** Mean per repetition. */
  readonly refusals: number;
  readonly approvals: number;
  readonly iterations: number;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly costUsd: number | null;
  readonly latencyP50Ms: number;
  /** The checks that failed, and harness errors, each once. */
  readonly failures: readonly string[];
  readonly runIds: readonly string[];
}

/** An eval's report: each case's summary and the figures over all of them. */
export interface EvalReport {
  readonly at: string;
  /** Which model the runs used, as far as the harness knows it. */
  readonly model: string;
  readonly target: string;
  readonly threshold: number;
  readonly passed: boolean;
  readonly overall: Omit<CaseSummary, 'name' | 'role' | 'tags' | 'failures' | 'runIds'> & { readonly cases: number };
  readonly cases: readonly CaseSummary[];
}

const REFUSED = new Set(['rejected', 'rate_limited', 'circuit_open']);
const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};
const ratio = (hits: number, of: number) => (of === 0 ? null : hits / of);

/** The figures of a set of repetitions (one case's, or all of them). */
const figures = (reps: readonly Repetition[], prices: Prices | undefined) => {
  const ran = reps.flatMap((r) => (r.observed ? [{ observed: r.observed, verdict: r.verdict }] : []));
  const withUsage = ran.flatMap((r) => (r.observed.usage ? [r.observed.usage] : []));
  const inputTokens = withUsage.length > 0 ? mean(withUsage.map((u) => u.inputTokens)) : null;
  const outputTokens = withUsage.length > 0 ? mean(withUsage.map((u) => u.outputTokens)) : null;
  const argumentChecks = ran.reduce((n, r) => n + r.verdict.argumentChecks, 0);
  return {
    repetitions: reps.length,
    // A repetition the harness could not run counts as failed: a threshold must not pass on errors.
    passRate: ratio(ran.filter((r) => r.verdict.passed).length, reps.length) ?? 0,
    selectionAccuracy: ratio(ran.filter((r) => r.verdict.selectionCorrect).length, reps.length) ?? 0,
    argumentMatchRate: ratio(
      ran.reduce((n, r) => n + r.verdict.argumentMatches, 0),
      argumentChecks,
    ),
    refusals: mean(ran.map((r) => r.observed.calls.filter((c) => REFUSED.has(c.status)).length)),
    approvals: mean(ran.map((r) => r.observed.approvals.length)),
    iterations: mean(ran.map((r) => r.observed.iterations)),
    inputTokens,
    outputTokens,
    costUsd:
      prices && inputTokens !== null && outputTokens !== null
        ? (inputTokens * prices.inputPerMillion + outputTokens * prices.outputPerMillion) / 1e6
        : null,
    latencyP50Ms: median(ran.map((r) => r.observed.latencyMs)),
  };
};

export const summarizeCase = (evalCase: EvalCase, reps: readonly Repetition[], prices?: Prices): CaseSummary => ({
  name: evalCase.name,
  role: evalCase.role,
  tags: evalCase.tags ?? [],
  ...figures(reps, prices),
  failures: [
    ...new Set(
      reps.flatMap((r) => (r.verdict ? r.verdict.checks.filter((c) => !c.passed).map((c) => c.description) : [`harness: ${r.error}`])),
    ),
  ],
  runIds: reps.flatMap((r) => (r.observed ? [r.observed.runId] : [])),
});

/** Judges every repetition and sums up, per case and overall; `passed` is the overall pass rate against the threshold. */
export const buildReport = (
  results: ReadonlyArray<{ readonly evalCase: EvalCase; readonly observed: ReadonlyArray<ObservedRun | { error: string }> }>,
  options: { readonly model: string; readonly target: string; readonly threshold: number; readonly prices?: Prices; readonly at?: Date },
): EvalReport => {
  const judged = results.map(({ evalCase, observed }) => ({
    evalCase,
    reps: observed.map((o): Repetition => ('error' in o ? { error: o.error } : { observed: o, verdict: judge(evalCase, o) })),
  }));
  const overall = {
    cases: results.length,
    ...figures(
      judged.flatMap((j) => j.reps),
      options.prices,
    ),
  };
  return {
    at: (options.at ?? new Date()).toISOString(),
    model: options.model,
    target: options.target,
    threshold: options.threshold,
    passed: overall.passRate >= options.threshold,
    overall,
    cases: judged.map(({ evalCase, reps }) => summarizeCase(evalCase, reps, options.prices)),
  };
};

export const tokens = (value: number | null) => (value === null ? '-' : value.toFixed(0));
export const usd = (value: number | null) => (value === null ? '-' : `$${value.toFixed(4)}`);

/** The figures of a case or of the whole run, formatted, in the columns both reports show. */
export const FIGURE_COLUMNS = ['pass', 'tools', 'args', 'refused', 'approval', 'iter', 'tokens in/out', 'cost', 'p50 ms'] as const;
export const formattedFigures = (f: EvalReport['overall'] | CaseSummary): string[] => [
  percent(f.passRate),
  percent(f.selectionAccuracy),
  percent(f.argumentMatchRate),
  f.refusals.toFixed(1),
  f.approvals.toFixed(1),
  f.iterations.toFixed(1),
  `${tokens(f.inputTokens)}/${tokens(f.outputTokens)}`,
  usd(f.costUsd),
  f.latencyP50Ms.toFixed(0),
];

/** The report as a table for the terminal: one line per case, then the overall line and the verdict. */
export const reportTable = (report: EvalReport): string => {
  const header = ['case', 'role', ...FIGURE_COLUMNS];
  const row = (name: string, role: string, f: EvalReport['overall'] | CaseSummary) => [name, role, ...formattedFigures(f)];
  const lines = textTable([header, ...report.cases.map((c) => row(c.name.slice(0, 48), c.role, c)), row('OVERALL', '', report.overall)], 2);
  const failed = report.cases.filter((c) => c.failures.length > 0);
  return [
    `Model: ${report.model}. Target: ${report.target}.`,
    ...lines,
    ...(failed.length > 0 ? ['', 'Failed checks:', ...failed.map((c) => `  ${c.name}: ${c.failures.join('; ')}`)] : []),
    '',
    `Pass rate ${percent(report.overall.passRate)} against a threshold of ${percent(report.threshold)}: ${report.passed ? 'PASSED' : 'FAILED'}.`,
  ].join('\n');
};
