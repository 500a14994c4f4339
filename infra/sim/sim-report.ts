import { FAULT_KINDS } from './fault-plan.ts';
import type { SeedOutcome } from './sim-seed.ts';

/** What a simulation found: seeds run, faults by kind, each fault point and how often it was reached, and every broken invariant. */
export interface SimReport {
  readonly seeds: number;
  /** The share of requests and invocations that met a fault. */
  readonly rate: number;
  readonly seconds: number;
  /** The retry pauses the seeds would have waited on AWS, taken in virtual time instead. */
  readonly virtualSeconds: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly faults: Readonly<Record<string, number>>;
  /** Each point (function and DynamoDB command): requests that reached it, and faults injected there. */
  readonly points: ReadonlyArray<{ readonly point: string; readonly reached: number; readonly faulted: number }>;
  /** What the seeds broke together (a shared bucket over its capacity, a breaker opened by no tool failure), by no seed alone. */
  readonly worldViolations: readonly string[];
  /** How often the worlds' breakers opened (shared by the seeds, opened by the tools' failures). */
  readonly breakerOpenings: number;
  /** Decisions the API stored but could not deliver, which its sweep delivered. */
  readonly decisionsSwept: number;
  readonly violations: ReadonlyArray<{
    readonly seed: number;
    readonly scenario: SeedOutcome['scenario'];
    readonly broken: readonly string[];
    readonly faults: SeedOutcome['faults'];
  }>;
}

export const reportOf = (
  outcomes: readonly SeedOutcome[],
  world: { readonly broken: readonly string[]; readonly breakerOpenings: number },
  rate: number,
  seconds: number,
): SimReport => {
  const count = <T>(items: readonly T[], key: (item: T) => string) =>
    items.reduce<Record<string, number>>((all, item) => ({ ...all, [key(item)]: (all[key(item)] ?? 0) + 1 }), {});
  const reached = new Map<string, number>();
  for (const outcome of outcomes) for (const [point, n] of outcome.reached) reached.set(point, (reached.get(point) ?? 0) + n);
  const faulted = count(
    outcomes.flatMap((o) => o.faults),
    (f) => f.point,
  );
  return {
    seeds: outcomes.length,
    rate,
    seconds,
    virtualSeconds: outcomes.reduce((sum, o) => sum + o.pausedMs, 0) / 1000,
    statuses: count(outcomes, (o) => o.status),
    faults: {
      ...Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])),
      ...count(
        outcomes.flatMap((o) => o.faults),
        (f) => f.kind,
      ),
    },
    points: [...reached]
      .map(([point, n]) => ({ point, reached: n, faulted: faulted[point] ?? 0 }))
      .sort((a, b) => a.point.localeCompare(b.point)),
    worldViolations: world.broken,
    breakerOpenings: world.breakerOpenings,
    decisionsSwept: outcomes.filter((o) => o.sweptDecision).length,
    violations: outcomes
      .filter((o) => o.broken.length > 0)
      .map(({ seed, scenario, broken, faults }) => ({ seed, scenario, broken, faults })),
  };
};

/** The report for a terminal: totals, the points, then each violation with its reproduction (`replayFlags`: the options it ran with beyond the defaults). */
export const printReport = (report: SimReport, replayFlags = ''): string =>
  [
    `${report.seeds} seeds at fault rate ${report.rate} in ${report.seconds.toFixed(1)} s; runs ended ${Object.entries(report.statuses)
      .map(([status, n]) => `${status} ${n}`)
      .join(', ')}`,
    `retry pauses taken in virtual time: ${report.virtualSeconds.toFixed(1)} s`,
    `faults injected: ${Object.entries(report.faults)
      .map(([kind, n]) => `${kind} ${n}`)
      .join(', ')}`,
    `breakers opened: ${report.breakerOpenings} (shared by the seeds, by their tools' failures)`,
    `decisions delivered by the API's sweep (the API could not): ${report.decisionsSwept}`,
    'fault points (requests reached / faults injected):',
    ...report.points.map((p) => `  ${p.point.padEnd(48)} ${String(p.reached).padStart(7)} / ${p.faulted}`),
    `invariant violations: ${report.violations.length + report.worldViolations.length}`,
    ...report.worldViolations.map((v) => `  the seeds together: ${v}`),
    ...report.violations.flatMap((v) => [
      `  seed ${v.seed}, ${v.scenario} (replay: npm run sim -- --seed ${v.seed} --rate ${report.rate} --scenario ${v.scenario}${replayFlags}):`,
      ...v.broken.map((b) => `    - ${b}`),
      `    faults: ${v.faults.map((f) => (f.offsetMs === undefined ? `${f.point}#${f.nth} ${f.kind}` : `${f.point} ${f.offsetMs > 0 ? '+' : ''}${f.offsetMs} ms`)).join(', ') || 'none'}`,
    ]),
  ].join('\n');
