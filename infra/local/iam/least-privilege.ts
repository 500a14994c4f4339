import { wildcardMatch, type PolicyStatement } from './policy-evaluator.ts';

/** One granted action on one resource pattern that nothing used. */
export interface UnusedGrant {
  readonly action: string;
  readonly resource: string;
}

/**
 * The granted (Allow) action and resource pairs of each function that no recorded call used:
 * what a policy could lose without any tested path failing. `used` holds `action resource` pairs.
 */
export const unusedGrants = (
  policies: ReadonlyMap<string, readonly PolicyStatement[]>,
  used: ReadonlyMap<string, ReadonlySet<string>>,
): Map<string, UnusedGrant[]> => {
  const report = new Map<string, UnusedGrant[]>();
  for (const [fn, statements] of policies) {
    const calls = [...(used.get(fn) ?? [])].map((pair) => {
      const space = pair.indexOf(' ');
      return { action: pair.slice(0, space), resource: pair.slice(space + 1) };
    });
    const unused: UnusedGrant[] = [];
    for (const statement of statements) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of [statement.Action ?? []].flat()) {
        for (const resource of [statement.Resource ?? []].flat()) {
          const hit = calls.some((c) => wildcardMatch(action, c.action, true) && wildcardMatch(resource, c.resource));
          if (!hit) unused.push({ action, resource });
        }
      }
    }
    report.set(fn, unused);
  }
  return report;
};
