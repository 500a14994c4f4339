import { afterEach, describe, expect, it, vi } from 'vitest';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { boundedText } from '#shared/argument-types/bounded-text.ts';
import { defineTool } from '#shared/tool/define-tool.ts';
import { guard } from '../../support/guard-harness.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();
afterEach(() => vi.unstubAllEnvs());

const tool = defineTool({
  name: 'check_metrics',
  description: 'Check that metrics are emitted, for the tests. Returns the word ok.',
  input: z.strictObject({ word: boundedText({ description: 'Any single word, ignored. Max 10 characters.', max: 10 }) }),
  risk: 'read',
  limits: { perUser: { capacity: 1, refillPerMinute: 0.001 }, perTool: { capacity: 100, refillPerMinute: 1 } },
  timeoutMs: 500,
  breaker: { failureThreshold: 5, windowMs: 60_000, cooldownMs: 60_000 },
  handler: async () => 'ok',
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
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } });
};

describe('tool metrics', () => {
  it('emits invocations, duration, errors by code and throttles as EMF, per tool', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const metrics = new Metrics({ namespace: 'GuardedAgentsTest', serviceName: 'test' });
    const g = guard(tool, {}, world.db.client, world.tables, { metrics });
    const ok = await emfOf(() => g.call({ word: 'a' }, { userId: 'mia', groups: ['user'] }));
    const limited = await emfOf(() => g.call({ word: 'a' }, { userId: 'mia', groups: ['user'] }));
    const names = (docs: typeof ok) => docs.flatMap((d) => d._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name)));
    expect(names(ok)).toEqual(expect.arrayContaining(['ToolInvocations', 'ToolDuration']));
    expect(names(ok)).not.toContain('ToolErrors');
    expect(names(limited)).toEqual(expect.arrayContaining(['ToolInvocations', 'ToolErrors', 'ToolThrottles', 'ToolErrorsByCode']));
    const byCode = limited.find((d) => 'ToolErrorsByCode' in d);
    expect(byCode).toMatchObject({ tool: 'check_metrics', code: 'RATE_LIMITED', ToolErrorsByCode: 1 });
    expect(ok.find((d) => 'ToolInvocations' in d)).toMatchObject({ tool: 'check_metrics', ToolInvocations: 1 });
  });
});
