import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { compilePolicies } from '#shared/policies/index.ts';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

// Every Cedar example in docs/policies.md compiles against the demo tools' generated schema: a
// newcomer who copies one gets a policy that synth accepts.
const blocks = [...readFileSync(join(REPO_ROOT, 'docs', 'policies.md'), 'utf8').matchAll(/```cedar\n([\s\S]*?)```/g)].map(
  (m) => m[1] as string,
);

describe('the Cedar examples of docs/policies.md', () => {
  it('are there', () => expect(blocks.length).toBeGreaterThanOrEqual(2));
  it.each(blocks.map((text, i) => [i + 1, text]))('example %i compiles against the demo tools', async (_i, text) => {
    const set = await compilePolicies([{ file: 'docs/policies.md', text: text as string }], toolCatalog.tools);
    expect(set.policies.size).toBeGreaterThan(0);
  });
});
