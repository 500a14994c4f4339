/**
 * `npm run bench`: what the guard pipeline costs, measured on dynalite in one process, and what the
 * system around it costs; written to docs/benchmarks.md (the sections other runs write are kept).
 *
 * 1. The guard's latency, its DynamoDB requests and sequential round trips per call
 *    (`guard-latency.ts`), and the `lookup_order` bundle as deployed (`handler-bundle.ts`).
 * 2. Step Functions transitions per iteration for k = 1, 2, 3, local runs per second, the cost of
 *    1,000 iterations at list prices, every Lambda's bundle, tracing's and policies' share, and
 *    the MCP label's read (`system-figures.ts`, `policy-figures.ts`, `mcp-label.ts`).
 * The report and its goals: `benchmarks-report.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { docSections } from '../../infra/docs-section.ts';
import { progressSteps } from '../../infra/progress-count.ts';
import { benchmarksReport, guardSection, terminalSummary } from './benchmarks-report.ts';
import { ITERATIONS, LATENCY_ITERATIONS, LATENCY_MS, measureGuard } from './guard-latency.ts';
import { measureMcpLabel } from './mcp-label.ts';
import { decisionFigures, policyBundles } from './policy-figures.ts';
import { allBundles, loopFigures, tracedBundles } from './system-figures.ts';

process.env.POWERTOOLS_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'INFO';
if (!process.env.BENCH_NO_METRICS) delete process.env.POWERTOOLS_METRICS_DISABLED;
else process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const progress = progressSteps(process.stderr);
progress.step('guard overhead: latency, requests, the bundle');
const guard = await measureGuard();
const iterations = { fast: ITERATIONS, slow: LATENCY_ITERATIONS, latencyMs: LATENCY_MS };
const guardText = guardSection({ guard, iterations });

// The loop figures measure the system, not its logging: quiet from here on.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
progress.step('the loop: transitions, requests, local runs per second');
const loop = await loopFigures();
progress.step("MCP: the label's read");
const mcpLabel = await measureMcpLabel(LATENCY_ITERATIONS, LATENCY_MS);
progress.step("every Lambda's bundle");
const bundles = await allBundles();
progress.step('tracing: bundles and spans');
const traced = await tracedBundles();
progress.step('policies: decisions and bundles');
const policyDecisions = await decisionFigures();
const governed = await policyBundles();
progress.end();

const report = benchmarksReport({ guard, iterations, loop, mcpLabel, bundles, traced, policyDecisions, governed }, guardText);
// The sections other runs write (npm run sim, npm run bench:agentdojo, with and without policies): kept as they are.
const others = docSections(readFileSync('docs/benchmarks.md', 'utf8')).join('\n\n');
writeFileSync('docs/benchmarks.md', others ? `${report}\n${others}\n` : report);
process.stdout.write(terminalSummary(guardText, guard.bundle));
