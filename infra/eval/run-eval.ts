import type { CaseFile, EvalCase } from './case-file.ts';
import { buildReport, type EvalReport, type Prices } from './eval-report.ts';
import type { ObservedRun } from './judge.ts';
import { runCase, type EvalTarget } from './run-case.ts';
import { createApiServer, listen } from '../local/http-server.ts';
import type { LocalApp } from '../local/local-app.ts';
import { startLocalSystem } from '../local/local-system.ts';
import { loadLocalUsers } from '../local/local-users.ts';

/**
 * How `runEval` runs the cases: the case file, repetitions, concurrency, a filter, the pass-rate
 * threshold.
 */
export interface EvalOptions {
  readonly cases: CaseFile;
  /** Runs per case (models vary). @default 1 */
  readonly repeat?: number;
  /** Repetitions in flight at once. @default 2 */
  readonly concurrency?: number;
  /** Only cases whose name contains this or that carry it as a tag. */
  readonly filter?: string;
  /** The overall pass rate below which the eval fails. */
  readonly threshold: number;
  readonly prices?: Prices;
  /** Told of each repetition as it ends (the CLI prints progress). */
  readonly onRepetition?: (evalCase: EvalCase, result: ObservedRun | { error: string }) => void;
}

/** Which model a local system runs, as `npm start` chooses it (functions/commons/model-from-env.ts). */
export const localModelLabel = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env.MODEL_PROVIDER === 'bedrock') return `Bedrock ${env.BEDROCK_MODEL_ID ?? '(BEDROCK_MODEL_ID unset)'}`;
  if (env.MODEL_PROVIDER === 'openai-compatible') return `${env.OPENAI_MODEL ?? '?'} at ${env.OPENAI_BASE_URL ?? '?'} (OpenAI-compatible)`;
  return 'the demo model (no MODEL_PROVIDER configured: rule-based, no language model)';
};

/**
 * An app's local system on a free port, as `npm start` serves it, with the local users' tokens by
 * role. Runs are not rate limited per user here: an eval starts many in a row.
 *
 * @example
 * const { target, model, stop } = await startLocalTarget({ agent: (app) => new MyStack(app, 'Local').agent });
 * try {
 *   console.log(reportTable(await runEval(target, model, { cases: loadCaseFile('eval/cases.json'), threshold: 0.9 })));
 * } finally {
 *   await stop();
 * }
 */
export const startLocalTarget = async (
  app: LocalApp,
): Promise<{
  target: EvalTarget;
  model: string;
  /** Stops the local system and its server. */
  stop: () => Promise<void>;
}> => {
  const users = loadLocalUsers();
  const system = await startLocalSystem({ app, users, runLimit: { capacity: 10_000, refillPerMinute: 10_000 } });
  const server = createApiServer(system.deps, users);
  const port = await listen(server, 0);
  const tokenOf = (group: string) => users.find((u) => u.groups.includes(group))?.token;
  const tokens = Object.fromEntries(
    (['user', 'operator', 'admin', 'approver'] as const).flatMap((role) => {
      const token = tokenOf(role);
      return token ? [[role, token]] : [];
    }),
  );
  return {
    target: { baseUrl: `http://127.0.0.1:${port}`, tokens, pollMs: 50, timeoutMs: 120_000 },
    model: localModelLabel(),
    /** Stops the local system and its server. */
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await system.stop();
    },
  };
};

/**
 * Runs every selected case `repeat` times against the target and judges the runs.
 *
 * @example
 * const { target, model, stop } = await startLocalTarget({ agent: (app) => new MyStack(app, 'Local').agent });
 * const report = await runEval(target, model, { cases: loadCaseFile('eval/cases.json'), threshold: 0.9 });
 * await stop();
 */
export const runEval = async (target: EvalTarget, model: string, options: EvalOptions): Promise<EvalReport> => {
  const filter = options.filter?.toLowerCase();
  const selected = options.cases.cases.filter(
    (c) => !filter || c.name.toLowerCase().includes(filter) || (c.tags ?? []).some((t) => t.toLowerCase() === filter),
  );
  if (selected.length === 0) throw new Error(`No case matches "${options.filter}".`);
  const repeat = options.repeat ?? 1;
  const jobs = selected.flatMap((evalCase, index) => Array.from({ length: repeat }, () => ({ evalCase, index })));
  const observed = selected.map(() => [] as Array<ObservedRun | { error: string }>);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++] as (typeof jobs)[number];
      const result = await runCase(target, job.evalCase).catch((error: unknown) => ({
        error: error instanceof Error ? error.message : String(error),
      }));
      observed[job.index]?.push(result);
      options.onRepetition?.(job.evalCase, result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return buildReport(
    selected.map((evalCase, i) => ({ evalCase, observed: observed[i] ?? [] })),
    { model, target: target.baseUrl, threshold: options.threshold, ...(options.prices ? { prices: options.prices } : {}) },
  );
};
