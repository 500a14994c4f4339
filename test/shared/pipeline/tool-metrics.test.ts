import { afterEach, describe, expect, it, vi } from 'vitest';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { guard } from '../../support/guard-harness.ts';
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
const emfOf = async (run: () => Promise<unknown>) => {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
        },
    );
};

describe('tool metrics', () => {
  it('emits invocations, duration, errors by code and throttles as EMF, per tool', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const metrics = new Metrics({ namespace: 'GuardedAgentsTest', serviceName: 'test' });
    const g = guard(tool, {}, world.db.client, world.tables, { metrics });
    const ok = await emfOf(() => g.call({ text: 'a' }, { userId: 'mia', groups: ['user'] }));
    const limited = await emfOf(() => g.call({ text: 'a' }, { userId: 'mia', groups: ['user'] }));
    const names = (docs: typeof ok) => docs.flatMap((d) => d._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));
    expect(names(ok)).toEqual(expect.arrayContaining(['ToolInvocations', 'ToolDuration']));
    expect(names(ok)).not.toContain('ToolErrors');
    expect(names(limited)).toEqual(expect.arrayContaining(['ToolInvocations', 'ToolErrors', 'ToolThrottles', 'ToolErrorsByCode']));
    const byCode = limited.find((d) => 'ToolErrorsByCode' in d);
    expect(byCode).toMatchObject({ tool: 'check_metrics', code: 'RATE_LIMITED', ToolErrorsByCode: 1 });
    expect(ok.find((d) => 'ToolInvocations' in d)).toMatchObject({ tool: 'check_metrics', ToolInvocations: 1 });
  });
});
