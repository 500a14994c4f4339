import { startLocalTarget } from './local-target.ts';
import { type Case, type CaseResult, runCase } from './run-case.ts';

export interface BenchmarkOptions {
  /** Cases run at once on each suite's system. @default 4 */
  readonly concurrency?: number;
  /** Talk to the configured model (MODEL_PROVIDER) instead of the scripted agents. @default false */
  readonly provider?: boolean;
  /** Check each suite's Cedar policies (`suites/<name>/policies/`) as well. @default false */
  readonly policies?: boolean;
  readonly onResult?: (result: CaseResult) => void;
}

/** Runs the cases, a local system per suite (started fresh, stopped after), a few cases at a time. */
export const runBenchmark = async (cases: readonly Case[], options: BenchmarkOptions = {}): Promise<CaseResult[]> => {
  const results: CaseResult[] = [];
  for (const suite of [...new Set(cases.map((c) => c.suite))]) {
    const local = await startLocalTarget(suite, { provider: options.provider ?? false, policies: options.policies ?? false });
    try {
      const queue = cases.filter((c) => c.suite === suite);
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const result = await runCase(local.target, next);
          results.push(result);
          options.onResult?.(result);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
    } finally {
      await local.stop();
    }
  }
  return results;
};
