import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cruise, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

/** What `npm run lint` runs (dependency-cruiser with .dependency-cruiser.mjs), on the repository and on a tree made to break it. */
const violations = async (paths: string[], baseDir: string) => {
  // The lint's own configuration, as the CLI reads it (a path TypeScript does not resolve: it is plain JavaScript).
  const configFile: string = join(REPO_ROOT, '.dependency-cruiser.mjs');
  const { default: config } = (await import(configFile)) as { default: IConfiguration };
  const { options, ...ruleSet } = config;
  const result = await cruise(paths, { ...options, ruleSet, baseDir, validate: true, tsConfig: undefined, tsPreCompilationDeps: true });
  const output = result.output as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
};

describe('lint: no import cycles', () => {
  const work = mkdtempSync(join(tmpdir(), 'cycles-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds for shared/, functions/, infra/ and the AgentDojo example', async () => {
    expect(await violations(['shared', 'functions', 'infra', 'examples/agentdojo'], REPO_ROOT)).toEqual([]);
  }, 30_000);

  it('finds a cycle between two modules, and between two capabilities of shared/ even through type-only imports', async () => {
    const file = (path: string, text: string) => {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), text);
    };
    file(
      'shared/runs/run-record.ts',
      "import type { RunBudget } from './run-budget.ts';\nexport type RunRecord = { budget: RunBudget };\n",
    );
    file('shared/runs/run-budget.ts', "import type { RunRecord } from './run-record.ts';\nexport type RunBudget = { of?: RunRecord };\n");
    file('shared/tool/define-tool.ts', "import type { FlowMode } from '../guards/flow.ts';\nexport type Tool = { flow: FlowMode };\n");
    file(
      'shared/guards/flow.ts',
      "import type { Tool } from '../tool/define-tool.ts';\nexport type FlowMode = 'off';\nexport type Judged = Tool;\n",
    );
    const found = await violations(['shared'], work);
    expect(found).toEqual(
      expect.arrayContaining([
        'no-circular: shared/runs/run-budget.ts -> shared/runs/run-record.ts',
        expect.stringMatching(/^no-circular-capabilities: shared\/(tool|guards) -> shared\/(tool|guards)$/),
      ]),
    );
  }, 30_000);
});
