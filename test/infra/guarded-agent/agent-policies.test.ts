import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { GuardedAgent } from '../../../infra/guarded-agent/guarded-agent.ts';
import { testApp } from './demo-stack-template.ts';

// Cedar policies as synthesized: validated at synth, and exposed to the local system.

describe('policies (Cedar)', () => {
  const withPolicies = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'policies-'));
    writeFileSync(join(dir, 'team.cedar'), text);
    return () =>
      new GuardedAgent(new Stack(testApp(), 'Policies'), 'A', {
        tools: toolCatalog.tools.filter((tool) => tool.name === 'fetch_url'),
        toolsDir: 'functions/tools',
        policies: dir,
      });
  };

  it('fails synth on a policy that names an unknown argument, with its file and line', () => {
    expect(
      withPolicies(
        '// team rules\n\nforbid (principal, action == GuardedAgents::Action::"fetch_url", resource)\nwhen { context.arguments.address like "*evil*" };\n',
      ),
    ).toThrow(/team\.cedar:4: .*address/);
    expect(withPolicies('forbid (principal, action, resource) when {')).toThrow(/team\.cedar:1: /);
  });

  it('validates the files at synth and exposes them to the local system, named from the project root', () => {
    const agent = withPolicies(
      '@id("no-fetch-after-untrusted")\nforbid (principal, action == GuardedAgents::Action::"fetch_url", resource)\nwhen { context.label.untrusted };\n',
    )();
    expect(agent.policies?.count).toBe(1);
    expect(agent.policies?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(agent.policies?.sources[0]?.file).toMatch(/team\.cedar$/);
  });
});
