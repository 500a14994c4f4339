/**
 * The eval's command line, for any app: real prompts through the real system, judged against what
 * must happen (`npm run eval` is this with the demo app and its cases, infra/eval/eval-cli.ts).
 *
 *   --cases <file>   the case file (default: the app's, when it has one)
 *   --url <base>     a running API (deployed, or npm start) instead of a local system started here
 *   --token role=T   per role (user, operator, admin, approver), or EVAL_TOKEN_<ROLE>
 *   --repeat, --concurrency, --filter, --threshold, --timeout, --price-input, --price-output, --model, --out
 *
 * Exit code: 0 at or above the threshold, 1 below it, 2 when the eval could not run (bad case
 * file, bad option). Writes eval.json and eval.html to --out (default reports/eval).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LOCAL_HOST_NAMES } from '../local/http-server.ts';
import type { LocalApp } from '../local/local-app.ts';
import { CaseFileError, loadCaseFile } from './case-file.ts';
import { reportHtml } from './eval-html.ts';
import { reportTable } from './eval-report.ts';
import type { EvalRole, EvalTarget } from './run-case.ts';
import { runEval, startLocalTarget } from './run-eval.ts';
import { progressCount } from '../progress-count.ts';

export interface EvalMainOptions {
  /** The app to start locally when no --url is given. */
  readonly app?: LocalApp;
  /** The case file when no --cases is given. */
  readonly defaultCases?: string;
  readonly env?: NodeJS.ProcessEnv;
}
const ROLES: readonly EvalRole[] = ['user', 'operator', 'admin', 'approver'];

class UsageError extends Error {}

const numberOption = (value: string | undefined, name: string, fallback: number, min: number, max: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, not ${value}`);
  return n;
};

/** `--token role=TOKEN`, repeatable; EVAL_TOKEN_<ROLE> as a fallback, so tokens stay out of shell history. */
const tokensFrom = (given: readonly string[], env: NodeJS.ProcessEnv) => {
  const tokens: Partial<Record<EvalRole, string>> = {};
  for (const role of ROLES) {
    const fromEnv = env[`EVAL_TOKEN_${role.toUpperCase()}`];
    if (fromEnv) tokens[role] = fromEnv;
  }
  for (const pair of given) {
    const [role, token] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    if (!ROLES.includes(role as EvalRole) || !token || !pair.includes('='))
      throw new UsageError(`--token takes role=TOKEN with a role among ${ROLES.join(', ')}`);
    tokens[role as EvalRole] = token;
  }
  return tokens;
};

/** `npm run eval`'s options (docs/eval.md). */
const EVAL_OPTIONS = {
  cases: { type: 'string' },
  repeat: { type: 'string' },
  concurrency: { type: 'string' },
  filter: { type: 'string' },
  threshold: { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string', multiple: true, default: [] },
  model: { type: 'string' },
  'price-input': { type: 'string' },
  'price-output': { type: 'string' },
  timeout: { type: 'string' },
  out: { type: 'string', default: join('reports', 'eval') },
} as const satisfies ParseArgsConfig['options'];

/**
 * Runs the eval as the command line asks and returns the exit code.
 *
 * @example
 * // eval.ts in a team's app: npm run eval -> node eval.ts
 * import { evalMain } from 'guarded-agents/eval';
 * import { app } from './local.ts';
 * process.exit(await evalMain(process.argv.slice(2), { app, defaultCases: 'eval/cases.json' }));
 */
export const evalMain = async (argv: readonly string[], options: EvalMainOptions = {}): Promise<number> => {
  const env = options.env ?? process.env;
  let stop = async () => {};
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: EVAL_OPTIONS,
      strict: true,
    });
    const casesFile = values.cases ?? options.defaultCases;
    if (!casesFile) throw new UsageError('--cases <file> is needed: the JSON case file to run.');
    const cases = loadCaseFile(casesFile);
    const threshold = numberOption(values.threshold, 'threshold', 0.8, 0, 1);
    const timeoutMs = numberOption(values.timeout, 'timeout', 120, 1, 3600) * 1000;
    const priced = values['price-input'] !== undefined || values['price-output'] !== undefined;
    const prices = priced
      ? {
          inputPerMillion: numberOption(values['price-input'], 'price-input', 0, 0, 1000),
          outputPerMillion: numberOption(values['price-output'], 'price-output', 0, 0, 1000),
        }
      : undefined;

    let target: EvalTarget;
    let model: string;
    if (values.url) {
      if (!/^https?:\/\//.test(values.url)) throw new UsageError('--url must be the API base URL, http(s)://...');
      // A run on this machine ends in a fraction of a second; a deployed one is read once a second.
      const loopback = LOCAL_HOST_NAMES.includes(new URL(values.url).hostname);
      target = { baseUrl: values.url.replace(/\/?$/, '/'), tokens: tokensFrom(values.token, env), pollMs: loopback ? 50 : 1000, timeoutMs };
      model = values.model ?? 'the deployment’s configured model';
    } else {
      // The tools' warnings (a refused call) are what the report shows; errors still print.
      process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
      process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
      if (!options.app)
        throw new UsageError('--url is needed: the API to run the cases against (or run the eval from a script that gives its app).');
      const local = await startLocalTarget(options.app);
      stop = local.stop;
      target = { ...local.target, tokens: { ...local.target.tokens, ...tokensFrom(values.token, env) }, timeoutMs };
      model = values.model ?? local.model;
      console.log(`Started a local system at ${target.baseUrl}; model: ${model}.`);
    }

    const progress = progressCount(process.stderr, 'run(s)');
    const report = await runEval(target, model, {
      cases,
      repeat: numberOption(values.repeat, 'repeat', 1, 1, 100),
      concurrency: numberOption(values.concurrency, 'concurrency', 2, 1, 32),
      threshold,
      ...(values.filter ? { filter: values.filter } : {}),
      ...(prices ? { prices } : {}),
      onRepetition: progress.tick,
    });
    progress.end();
    console.log(reportTable(report));
    mkdirSync(values.out, { recursive: true });
    writeFileSync(join(values.out, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(values.out, 'eval.html'), reportHtml(report));
    console.log(`Report: ${join(values.out, 'eval.html')} (and eval.json).`);
    return report.passed ? 0 : 1;
  } catch (error) {
    const known =
      error instanceof UsageError || error instanceof CaseFileError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    console.error(known ? `npm run eval: ${(error as Error).message}` : error);
    return 2;
  } finally {
    await stop();
  }
};
