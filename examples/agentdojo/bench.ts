/**
 * `npm run bench:agentdojo`: AgentDojo's suites through the local system, with the scripted honest,
 * compromised and adaptive agents and the two approvers (see README.md here). Filters: --suite,
 * --user-task, --injection-task (an injection or adaptive task), --agent; --provider talks to the
 * configured model (MODEL_PROVIDER) instead; --policies checks each suite's Cedar policies as well
 * (a whole run of it writes a section of its own). Prints the table; writes reports/agentdojo/agentdojo.{json,html};
 * a full run (no filter) also writes its section of docs/benchmarks.md. An unknown name exits 2.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { progressCount } from 'guarded-agents/eval';
import { casesOf, SelectionError } from './harness/matrix.ts';
import { reportOf } from './harness/report.ts';
import { htmlPage, markdownSection, textTable, wordsNote } from './harness/render.ts';
import type { AgentKind } from './harness/run-case.ts';
import { runBenchmark } from './harness/run-benchmark.ts';
import { SUITES } from './suites/index.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const AGENTS: readonly AgentKind[] = ['honest', 'compromised', 'adaptive'];
const usage = () => {
  console.error(
    'usage: npm run bench:agentdojo -- [--suite S]... [--user-task T]... [--injection-task T]... [--agent honest|compromised|adaptive]... [--concurrency N] [--provider] [--policies] [--out DIR]',
  );
  process.exit(2);
};

let values;
try {
  ({ values } = parseArgs({
    options: {
      suite: { type: 'string', multiple: true, default: [] },
      'user-task': { type: 'string', multiple: true, default: [] },
      'injection-task': { type: 'string', multiple: true, default: [] },
      agent: { type: 'string', multiple: true, default: [] },
      concurrency: { type: 'string', default: '4' },
      provider: { type: 'boolean', default: false },
      policies: { type: 'boolean', default: false },
      out: { type: 'string', default: join('reports', 'agentdojo') },
    },
  }));
} catch (error) {
  console.error((error as Error).message);
  usage();
}
if (!values) usage();
const { suite, 'user-task': userTasks, 'injection-task': injectionTasks, agent, concurrency, provider, policies, out } = values!;
const unknownAgent = agent.find((a) => !AGENTS.includes(a as AgentKind));
if (unknownAgent !== undefined) {
  console.error(`Unknown agent ${unknownAgent}; known: ${AGENTS.join(', ')}`);
  process.exit(2);
}
const workers = Number(concurrency);
if (!Number.isInteger(workers) || workers < 1 || workers > 32) {
  console.error('--concurrency must be a whole number from 1 to 32');
  process.exit(2);
}

let cases;
try {
  cases = casesOf(SUITES, { suites: suite, userTasks, injectionTasks, agents: agent as AgentKind[] });
} catch (error) {
  if (!(error instanceof SelectionError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const started = performance.now();
// One line rewritten on a terminal; a line every 50 cases in a log.
const progress = progressCount(process.stderr, `of ${cases.length} cases`, 50);
const results = await runBenchmark(cases, {
  concurrency: workers,
  provider: provider ?? false,
  policies: policies ?? false,
  onResult: progress.tick,
});
progress.end();
const seconds = (performance.now() - started) / 1000;
const figures = reportOf(results);
const facts = {
  date: new Date().toISOString().slice(0, 10),
  seconds,
  cases: results.length,
  agent: provider ? 'the configured model' : 'scripted',
  policies: policies ?? false,
};
console.log(textTable(figures));
for (const line of wordsNote(results)) if (line) console.log(line);
console.log(`${results.length} runs in ${seconds.toFixed(1)} s`);

mkdirSync(out!, { recursive: true });
writeFileSync(join(out!, 'agentdojo.json'), `${JSON.stringify({ facts, figures, results }, null, 2)}\n`);
writeFileSync(join(out!, 'agentdojo.html'), htmlPage(figures, results, facts));
console.log(`Report: ${join(out!, 'agentdojo.html')} (and agentdojo.json).`);

// Only a whole run stands for the benchmark: a filtered one leaves the published figures alone.
const whole = suite.length === 0 && userTasks.length === 0 && injectionTasks.length === 0 && agent.length === 0 && !provider;
if (whole) {
  const file = join('docs', 'benchmarks.md');
  // With the suites' Cedar policies: a section of its own, beside the one without.
  const marker = policies ? 'agentdojo-policies' : 'agentdojo';
  const START = `<!-- ${marker}:start -->`;
  const END = `<!-- ${marker}:end -->`;
  const doc = readFileSync(file, 'utf8');
  const section = `${START}\n${markdownSection(figures, results, facts)}\n${END}`;
  const at = doc.indexOf(START);
  writeFileSync(
    file,
    at < 0 ? `${doc.trimEnd()}\n\n${section}\n` : `${doc.slice(0, at)}${section}${doc.slice(doc.indexOf(END) + END.length)}`,
  );
  console.log(`Wrote its section of ${file}.`);
}
