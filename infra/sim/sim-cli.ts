/**
 * `npm run sim -- [--seeds N] [--from S] [--seed S]... [--rate R] [--scenario ticket|refund|budget] [--outages tools|loop|all] [--concurrency C] [--workers W] [--json]`: the
 * seeded fault simulation (docs/testing.md, "Fault simulation"). Exits 1 when an invariant broke
 * (each with the seed that replays it), 2 on bad input.
 */
import { parseArgs } from 'node:util';
import { progressCount } from '../progress-count.ts';
import { writeSimFigures } from './sim-doc.ts';
import { printReport } from './sim-report.ts';
import { simulate, WORKERS_PER_MACHINE } from './simulate.ts';
import { SCENARIO_NAMES, type ScenarioName } from './sim-scenarios.ts';
import { OUTAGE_SCOPES, type OutageScope } from './sim-world.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const fail = (message: string): never => {
  console.error(
    `${message}\nusage: npm run sim -- [--seeds N] [--from S] [--seed S]... [--rate 0..1] [--scenario ticket|refund|budget] [--outages tools|loop|all] [--concurrency C] [--workers W] [--json]`,
  );
  process.exit(2);
};
const whole = (name: string, value: string, min: number, max: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fail(`--${name} must be a whole number from ${min} to ${max}`);
};

let values;
try {
  ({ values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '200' },
      from: { type: 'string', default: '1' },
      seed: { type: 'string', multiple: true, default: [] },
      rate: { type: 'string', default: '0.05' },
      scenario: { type: 'string' },
      outages: { type: 'string', default: 'all' },
      concurrency: { type: 'string', default: '8' },
      workers: { type: 'string', default: String(WORKERS_PER_MACHINE) },
      json: { type: 'boolean', default: false },
    },
  }));
} catch (error) {
  fail((error as Error).message);
}
const { seeds, from, seed, rate, scenario, outages, concurrency, workers, json } = values!;
if (!(OUTAGE_SCOPES as string[]).includes(outages)) fail(`--outages must be one of ${OUTAGE_SCOPES.join(', ')}`);
if (scenario !== undefined && !(SCENARIO_NAMES as string[]).includes(scenario))
  fail(`--scenario must be one of ${SCENARIO_NAMES.join(', ')}`);
const share = Number(rate);
if (!(share >= 0 && share <= 1)) fail('--rate must be a number from 0 to 1');
const chosen =
  seed.length > 0
    ? seed.map((s) => whole('seed', s, 0, 2 ** 31))
    : Array.from({ length: whole('seeds', seeds, 1, 1_000_000) }, (_, i) => whole('from', from, 0, 2 ** 31) + i);

const progress = progressCount(process.stderr, 'seed(s)', 500);
const report = await simulate({
  seeds: chosen,
  rate: share,
  ...(scenario === undefined ? {} : { scenario: scenario as ScenarioName }),
  outages: outages as OutageScope,
  concurrency: whole('concurrency', concurrency, 1, 64),
  workers: whole('workers', workers, 1, 16),
  ...(json ? {} : { onSeed: progress.tick }),
});
if (!json) progress.end();
console.log(json ? JSON.stringify(report, null, 2) : printReport(report, outages === 'all' ? '' : ` --outages ${outages}`));
// A whole run (10,000 seeds or more from seed 1, with the defaults, on dynalite) stands for the simulation: its figures go into the docs.
const standard =
  seed.length === 0 &&
  from === '1' &&
  chosen.length >= 10_000 &&
  rate === '0.05' &&
  scenario === undefined &&
  outages === 'all' &&
  // The figures say dynalite: a run on another engine (DYNAMODB_ENDPOINT) leaves them alone.
  process.env.DYNAMODB_ENDPOINT === undefined;
if (standard) {
  const command = `npm run sim -- --seeds ${chosen.length}`;
  writeSimFigures(report, {
    command,
    workers: Number(workers),
    concurrency: Number(concurrency),
    outages,
    date: new Date().toISOString().slice(0, 10),
  });
  console.error('Wrote its figures to docs/benchmarks.md and the README.');
}
process.exit(report.violations.length + report.worldViolations.length > 0 ? 1 : 0);
