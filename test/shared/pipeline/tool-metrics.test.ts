import { afterEach, describe, expect, it, vi } from 'vitest';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { guard } from '../../support/guard-harness.ts';
import { printedLines } from '../../support/printed-lines.ts';
import { testTool } from '../../support/test-tool.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();
afterEach(() => vi.unstubAllEnvs());

const { tool } = testTool({
  name: 'check_metrics',
  limits: { perUser: { capacity: 1, refillPerMinute: 0.001 }, perTool: { capacity: 100, refillPerMinute: 1 } },
  behaviour: async () => 'ok',
});

/** The EMF documents a call printed, parsed. */
const emfOf = async (run: () => Promise<unknown>) =>
  (await printedLines(run))
    .filter((l) => l.includes('"_aws"'))
    .map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
        },
    );
const namesIn = (docs: Awaited<ReturnType<typeof emfOf>>) =>
  docs.flatMap((d) => d._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));

describe('tool metrics', () => {
  it('emits invocations, duration, errors by code and throttles as EMF, per tool', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const metrics = new Metrics({ namespace: 'GuardedAgentsTest', serviceName: 'test' });
    const g = guard(tool, {}, world.db.client, world.tables, { metrics });
    const ok = await emfOf(() => g.call({ text: 'a' }, { userId: 'mia', groups: ['user'] }));
    const limited = await emfOf(() => g.call({ text: 'a' }, { userId: 'mia', groups: ['user'] }));
    expect(namesIn(ok)).toEqual(expect.arrayContaining(['ToolInvocations', 'ToolDuration']));
    expect(namesIn(ok)).not.toContain('ToolErrors');
    expect(namesIn(limited)).toEqual(expect.arrayContaining(['ToolInvocations', 'ToolErrors', 'ToolThrottles', 'ToolErrorsByCode']));
    const byCode = limited.find((d) => 'ToolErrorsByCode' in d);
    expect(byCode).toMatchObject({ tool: 'check_metrics', code: 'RATE_LIMITED', ToolErrorsByCode: 1 });
    expect(ok.find((d) => 'ToolInvocations' in d)).toMatchObject({ tool: 'check_metrics', ToolInvocations: 1 });
  });
  it('times the call from its start to its outcome, and counts a throttle only for RATE_LIMITED', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    let clock = 5_000_000;
    const { tool: timed } = testTool({ name: 'timed_metrics', behaviour: async () => ((clock += 40), 'ok') });
    const g = guard(timed, {}, world.db.client, world.tables, {
      metrics: new Metrics({ namespace: 'GuardedAgentsTest', serviceName: 'test' }),
      now: () => clock,
    });
    const ok = await emfOf(() => g.call({ text: 'a' }, { groups: ['user'] }));
    expect(ok.find((d) => 'ToolDuration' in d)).toMatchObject({ ToolDuration: 40 });
    const refused = await emfOf(() => g.call({ text: 42 }, { groups: ['user'] }));
    expect(namesIn(refused)).toEqual(expect.arrayContaining(['ToolErrors', 'ToolErrorsByCode']));
    expect(namesIn(refused)).not.toContain('ToolThrottles');
  });
});
