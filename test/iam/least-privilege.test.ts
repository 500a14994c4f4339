import { describe, expect, it } from 'vitest';
import { runLeastPrivilegeTour, UNEXPLAINED } from './least-privilege-tour.ts';

// Exact grants, proven: the tour drives every route, tool and approval path of the local system,
// each function's calls checked against the role CDK synthesized for it. A call denied means a
// grant is missing; a grant no call used (and AWS documents no reason for) means one is too many.
describe('least privilege (npm run iam:report)', () => {
  it('denies no call of the tour, and leaves no grant unused without an AWS-documented reason', async () => {
    const { unused, denials, usedPairs } = await runLeastPrivilegeTour();
    expect(denials).toEqual([]);
    const unexplained = [...unused].flatMap(([fn, grants]) =>
      grants.filter((g) => g.kind === UNEXPLAINED).map((g) => `${fn}: ${g.action} ${g.resource}`),
    );
    expect(unexplained).toEqual([]);
    // The tour reached all thirteen functions (the demo's nine tools and the four of the loop and the front door).
    expect([...usedPairs].filter(([, count]) => count > 0).map(([fn]) => fn)).toHaveLength(13);
  }, 180_000);
});
