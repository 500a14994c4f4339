import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docSections, writeDocSection } from '../../infra/docs-section.ts';
import { simSection, simSummary } from '../../infra/sim/sim-doc.ts';
import type { SimReport } from '../../infra/sim/sim-report.ts';

describe('generated sections of the docs', () => {
  it('replace their own section, keep the rest of the page, and go at the end of a page without one', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'docs-section-')), 'page.md');
    writeFileSync(file, '# Page\n\nProse.\n\n<!-- a:start -->\nold a\n<!-- a:end -->\n\nMore prose.\n');
    writeDocSection(file, 'a', 'new a');
    writeDocSection(file, 'b', 'new b');
    const page = readFileSync(file, 'utf8');
    expect(page).toBe(
      '# Page\n\nProse.\n\n<!-- a:start -->\nnew a\n<!-- a:end -->\n\nMore prose.\n\n<!-- b:start -->\nnew b\n<!-- b:end -->\n',
    );
    expect(docSections(page)).toEqual(['<!-- a:start -->\nnew a\n<!-- a:end -->', '<!-- b:start -->\nnew b\n<!-- b:end -->']);
  });

  it("write the simulation's figures from its report, stamped with the run", () => {
    const report: SimReport = {
      seeds: 10_000,
      rate: 0.05,
      seconds: 361.25,
      virtualSeconds: 4000,
      statuses: { SUCCEEDED: 9000, FAILED: 1000 },
      faults: { throttled: 10, outage: 2, redrive: 3, 'clock-skew': 50 },
      points: [
        { point: 'CallModel:PutItem', reached: 7000, faulted: 300 },
        { point: 'StepFunctions:Redrive', reached: 3, faulted: 3 },
      ],
      worldViolations: [],
      breakerOpenings: 4,
      decisionsSwept: 1234,
      violations: [],
    };
    const section = simSection(report, {
      command: 'npm run sim -- --seeds 10000',
      workers: 2,
      concurrency: 8,
      outages: 'loop',
      date: '2026-12-07',
    });
    expect(section).toContain('Measured by `npm run sim -- --seeds 10000`');
    expect(section).toContain('2026-12-07');
    expect(section).toContain('| faults injected | 12, besides 50 clocks skewed |');
    expect(section).toContain('| runs redriven | 3 |');
    expect(section).toContain("| decisions delivered by the API's sweep | 1,234 |");
    expect(section).toContain('each reached at least 3 times');
    expect(section).toContain('| invariant violations | 0 |');
    expect(simSummary(report)).toMatch(
      /^The latest 10,000 seeds \(5 % of requests faulted, 12 faults injected .* 3 runs redriven\) took 361\.3 s and broke no invariant/,
    );
  });
});
