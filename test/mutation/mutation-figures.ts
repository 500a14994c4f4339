/**
 * After `stryker run` (`npm run test:mutation`): the scores of its JSON report, per guard
 * capability, written as the `mutation` section of docs/benchmarks.md, stamped with the run.
 * Exits 1 without a report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { writeDocSection } from '../../infra/docs-section.ts';

const REPORT = 'reports/mutation.json';

/** Stryker's JSON report (mutation-testing-report-schema), as far as the scores need it. */
interface MutationReport {
  readonly files: Record<string, { readonly mutants: ReadonlyArray<{ readonly status: string }> }>;
}

/** The capability a mutated file belongs to: its folder under shared/. */
const capabilityOf = (file: string): string => /shared\/([^/]+)\//.exec(file)?.[1] ?? 'other';

/** Stryker's counts and scores: the score over every valid mutant, the covered score over those the tests reach. */
export const scoresOf = (statuses: readonly string[]) => {
  const count = (...kinds: string[]) => statuses.filter((s) => kinds.includes(s)).length;
  const detected = count('Killed', 'Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const valid = detected + survived + noCoverage;
  const pct = (n: number, of: number) => (of === 0 ? '-' : ((100 * n) / of).toFixed(2));
  return {
    score: pct(detected, valid),
    covered: pct(detected, detected + survived),
    detected,
    survived,
    noCoverage,
    ignored: count('Ignored'),
  };
};

/** The section's table: a row per capability, then all of them. */
export const mutationSection = (report: MutationReport, stamp: string): string => {
  const byCapability = new Map<string, string[]>();
  for (const [file, { mutants }] of Object.entries(report.files))
    byCapability.set(capabilityOf(file), [...(byCapability.get(capabilityOf(file)) ?? []), ...mutants.map((m) => m.status)]);
  const row = (name: string, statuses: readonly string[]) => {
    const s = scoresOf(statuses);
    return `| ${name} | ${s.score} | ${s.covered} | ${s.detected} | ${s.survived} | ${s.noCoverage} | ${s.ignored} |`;
  };
  return `## Mutation testing (\`npm run test:mutation\`, docs/mutation.md)

${stamp}

| capability | score | covered | killed | survived | no coverage | ignored |
|---|---:|---:|---:|---:|---:|---:|
${[...byCapability]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, statuses]) => row(name, statuses))
  .join('\n')}
${row('**all**', [...byCapability.values()].flat())}
`;
};

if (import.meta.main) {
  if (!existsSync(REPORT)) {
    console.error(`No ${REPORT}: run \`npm run test:mutation\` (stryker run) first.`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(REPORT, 'utf8')) as MutationReport;
  const stamp = `Measured by \`npm run test:mutation\` on this project's ${availableParallelism()}-core machine, Node ${process.version}, ${new Date().toISOString().slice(0, 10)} (incremental: a mutant whose file and tests did not change keeps its result).`;
  writeDocSection('docs/benchmarks.md', 'mutation', mutationSection(report, stamp));
  console.log('Wrote the mutation scores to docs/benchmarks.md.');
}
