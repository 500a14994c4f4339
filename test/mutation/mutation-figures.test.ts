import { describe, expect, it } from 'vitest';
import { mutationSection, scoresOf } from './mutation-figures.ts';

describe('the mutation figures (npm run test:mutation writes them into docs/benchmarks.md)', () => {
  it('scores as Stryker does: detected over valid mutants, and over those the tests cover; ignored ones left out', () => {
    const statuses = ['Killed', 'Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'CompileError'];
    expect(scoresOf(statuses)).toEqual({ score: '60.00', covered: '75.00', detected: 3, survived: 1, noCoverage: 1, ignored: 1 });
    expect(scoresOf([]).score).toBe('-');
  });

  it('gives a row per capability (its folder under shared/) and one for all, under the stamp', () => {
    const section = mutationSection(
      {
        files: {
          'shared/breaker/circuit-breaker.ts': { mutants: [{ status: 'Killed' }, { status: 'Survived' }] },
          'shared/breaker/middleware.ts': { mutants: [{ status: 'Killed' }] },
          'shared/rate-limit/bucket.ts': { mutants: [{ status: 'NoCoverage' }] },
        },
      },
      'Measured on a test.',
    );
    expect(section).toContain('Measured on a test.');
    expect(section).toContain('| breaker | 66.67 | 66.67 | 2 | 1 | 0 | 0 |');
    expect(section).toContain('| rate-limit | 0.00 | - | 0 | 0 | 1 | 0 |');
    expect(section).toContain('| **all** | 50.00 | 66.67 | 2 | 1 | 1 | 0 |');
  });
});
