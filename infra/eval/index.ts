/**
 * `guarded-agents/eval`: real prompts through a team's own system (local or deployed), judged
 * against a case file; the same harness as this repository's `npm run eval`.
 */
export { evalMain, type EvalMainOptions } from './eval-main.ts';
export { runEval, startLocalTarget, localModelLabel, type EvalOptions } from './run-eval.ts';
export { runCase, EvalHarnessError, type EvalRole, type EvalTarget } from './run-case.ts';
export {
  loadCaseFile,
  parseCaseFile,
  CaseFileError,
  type CaseFile,
  type EvalCase,
  type Expectation,
  type PatternMatcher,
} from './case-file.ts';
export { judge, matches, type Check, type ObservedCall, type ObservedRun, type Verdict } from './judge.ts';
export { buildReport, reportTable, type CaseSummary, type EvalReport, type Prices } from './eval-report.ts';
export { reportHtml } from './eval-html.ts';
export { progressCount, progressSteps, type ProgressStream } from '../progress-count.ts';
// What the exports above name in their signatures, so a team can name it too (and the API reference shows it).
export { caseFileSchema, caseSchema } from './case-file.ts';
