/**
 * `npm run iam:report`: the least-privilege report. Runs the tour (least-privilege-tour.ts) and
 * prints, per function, the granted actions no call used, by kind; `--verbose` lists them.
 * docs/testing.md ("Least privilege") explains each kind.
 */
import { DOCUMENTED_KINDS, runLeastPrivilegeTour, UNEXPLAINED } from './least-privilege-tour.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

const { unused, denials } = await runLeastPrivilegeTour();
const short = (kind: string) => kind.split(':')[0] as string;
console.log(`# Least-privilege report: granted actions no call used (${new Date().toISOString()})\n`);
console.log(
  `Denied during the tour: ${denials.length}${denials.map((d) => `\n- ${d.functionName}: ${d.action} ${d.resource}`).join('')}\n`,
);
console.log('| function | granted pairs unused | by kind |');
console.log('|---|---:|---|');
const totals = new Map<string, number>();
for (const [fn, grants] of unused) {
  const kinds = new Map<string, number>();
  for (const { kind } of grants) {
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    totals.set(kind, (totals.get(kind) ?? 0) + 1);
  }
  console.log(`| ${fn} | ${grants.length} | ${[...kinds].map(([k, n]) => `${n} ${short(k)}`).join('; ')} |`);
}
console.log('\nKinds:');
for (const [kind] of [...DOCUMENTED_KINDS, [UNEXPLAINED]]) console.log(`- ${kind}: ${totals.get(kind as string) ?? 0}`);
if (process.argv.includes('--verbose'))
  for (const [fn, grants] of unused)
    console.log(`\n${fn}:\n${grants.map((g) => `  ${g.action} ${g.resource} (${short(g.kind)})`).join('\n')}`);
// Exits rather than waits: aws-local-stepfunctions keeps the timeout timer of a task whose
// execution was aborted (the run the tour stops under a pending approval) until it would fire.
process.exit(denials.length > 0 || (totals.get(UNEXPLAINED) ?? 0) > 0 ? 1 : 0);
