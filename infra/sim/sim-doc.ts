import { availableParallelism } from 'node:os';
import { writeDocSection } from '../docs-section.ts';
import type { SimReport } from './sim-report.ts';

/** What a whole run is: the command, and where it ran. */
export interface SimStamp {
  readonly command: string;
  readonly workers: number;
  readonly concurrency: number;
  readonly outages: string;
  /** ISO date. */
  readonly date: string;
}

const n = (value: number) => value.toLocaleString('en-US');

/** The faults a report injected, apart from the redrives and the clock offsets it counts with them. */
const countsOf = (report: SimReport) => {
  const { redrive = 0, 'clock-skew': clocks = 0, ...faults } = report.faults;
  return {
    faults,
    redrive,
    clocks,
    injected: Object.values(faults).reduce((sum, k) => sum + k, 0),
    violations: report.violations.length + report.worldViolations.length,
  };
};

/** The figures that stand for the simulation: its section of docs/benchmarks.md, stamped with the run that made it. */
export const simSection = (report: SimReport, stamp: SimStamp): string => {
  const { faults, redrive, clocks, injected, violations } = countsOf(report);
  const rarest = [...report.points].sort((a, b) => a.reached - b.reached).slice(0, 3);
  return `## Fault simulation (\`npm run sim\`, docs/testing.md)

Measured by \`${stamp.command}\` on this project's ${availableParallelism()}-core machine, Node ${process.version}, ${stamp.date}:
${stamp.workers} workers of ${stamp.concurrency} seeds each, fault rate ${report.rate}, outages \`${stamp.outages}\`, on dynalite.

| | |
|---|---|
| seeds | ${n(report.seeds)} in ${report.seconds.toFixed(1)} s |
| runs ended | ${Object.entries(report.statuses)
    .map(([status, k]) => `${status} ${n(k)}`)
    .join(', ')} |
| retry pauses taken in virtual time | ${report.virtualSeconds.toFixed(1)} s |
| faults injected | ${n(injected)}, besides ${n(clocks)} clocks skewed |
| runs redriven | ${n(redrive)} |
| breakers opened | ${report.breakerOpenings} |
| decisions delivered by the API's sweep | ${n(report.decisionsSwept)} |
| fault points | ${report.points.length}, each reached at least ${n(Math.min(...report.points.map((p) => p.reached)))} times |
| invariant violations | ${violations} |

Faults by kind: ${Object.entries(faults)
    .map(([kind, k]) => `${kind} ${n(k)}`)
    .join(', ')}. The rarest points: ${rarest.map((p) => `\`${p.point}\` (${n(p.reached)} reached, ${p.faulted} met)`).join(', ')}.

| fault point | requests reached | faults injected |
|---|---:|---:|
${report.points.map((p) => `| \`${p.point}\` | ${n(p.reached)} | ${n(p.faulted)} |`).join('\n')}
`;
};

/** The README's reliability figures: one sentence from the same run. */
export const simSummary = (report: SimReport): string => {
  const { redrive, injected, violations } = countsOf(report);
  return `The latest ${n(report.seeds)} seeds (${Math.round(report.rate * 100)} % of requests faulted, ${n(injected)} faults injected besides each function's clock offset, ${n(redrive)} runs redriven) took ${report.seconds.toFixed(1)} s and broke ${violations === 0 ? 'no invariant' : `${violations} invariants`} ([the figures](docs/benchmarks.md#fault-simulation-npm-run-sim-docstestingmd)).`;
};

/** A whole run (the seeds from 1, the defaults) stands for the simulation: its figures go into the docs; any other leaves them alone. */
export const writeSimFigures = (report: SimReport, stamp: SimStamp): void => {
  writeDocSection('docs/benchmarks.md', 'sim', simSection(report, stamp));
  writeDocSection('README.md', 'sim-summary', simSummary(report));
};
