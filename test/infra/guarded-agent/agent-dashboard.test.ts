import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { ofType, useDemoStack } from './demo-stack-template.ts';

// What is watched: the dashboard and the alarms, per tool and for the loop.

const demo = useDemoStack();

describe('what is watched', () => {
  it('has a dashboard and, per tool, a breaker-open alarm and an error-ratio alarm, plus approvals expiring and failed and throttled executions', () => {
    demo.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const alarms = ofType(demo.resources, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(toolCatalog.tools.length * 2 + 3);
    expect(
      alarms.some(([, a]) => a.Properties.MetricName === 'Approvals' && JSON.stringify(a.Properties.Dimensions).includes('expired')),
    ).toBe(true);
    const breakerAlarms = alarms.filter(([, a]) => a.Properties.MetricName === 'BreakerTransitions');
    expect(
      breakerAlarms
        .map(([, a]) => (a.Properties.Dimensions as Array<{ Name: string; Value: string }>).find((d) => d.Name === 'tool')?.Value)
        .sort(),
    ).toEqual(toolCatalog.tools.map((t) => t.name).sort());
    expect(breakerAlarms[0]?.[1].Properties).toMatchObject({
      Namespace: 'GuardedAgents',
      Dimensions: expect.arrayContaining([
        { Name: 'state', Value: 'OPEN' },
        { Name: 'service', Value: 'guarded-agents' },
      ]),
    });
    expect(alarms.filter(([, a]) => JSON.stringify(a.Properties.Metrics ?? '').includes('errors / calls'))).toHaveLength(
      toolCatalog.tools.length,
    );
  });
});
