import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { GuardedAgent } from '../../../infra/guarded-agent/guarded-agent.ts';
import { testApp, type Resources } from './demo-stack-template.ts';

// Approval escalation (approvalEscalation) as synthesized: the sweep, who is told, and the group.

describe('approval escalation (approvalEscalation)', () => {
  const build = (props: Partial<ConstructorParameters<typeof GuardedAgent>[2]>) =>
    Template.fromStack(
      Stack.of(
        new GuardedAgent(new Stack(testApp(), 'Escalation'), 'A', {
          tools: [toolCatalog.resolve('delete_document')!, toolCatalog.resolve('lookup_order')!],
          toolsDir: 'functions/tools',
          documents: true,
          dataTables: Object.values(demoTableSpecs),
          ...props,
        }),
      ),
    );

  it('sweeps every minute, tells RequestApproval, the API and the tools that check approvals, and creates the group', () => {
    const template = build({ approvalEscalation: { after: Duration.minutes(20), group: 'oncall' } });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Input: '{"sweep":true}' })],
    });
    const fns = Object.values(template.toJSON().Resources as Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const envOf = (prefix: string) =>
      (
        fns.find((f) => String(f.Properties.Description).startsWith(prefix))!.Properties.Environment as {
          Variables: Record<string, string>;
        }
      ).Variables;
    expect(JSON.parse(envOf('Agent loop: records an approval').APPROVAL_ESCALATION!)).toEqual({ afterSeconds: 1200, group: 'oncall' });
    expect(JSON.parse(envOf('HTTP API').APPROVAL_ESCALATION!)).toEqual({ afterSeconds: 1200, group: 'oncall' });
    expect(envOf('Tool delete_document').APPROVAL_ESCALATION_GROUP).toBe('oncall');
    expect(envOf('Tool lookup_order').APPROVAL_ESCALATION_GROUP).toBeUndefined();
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'oncall' });
  });

  it('refuses at synth an escalation that would come after the approval expired', () => {
    expect(() => build({ approvalEscalation: { after: Duration.hours(2), group: 'oncall' } })).toThrow(
      /must be shorter than approvalTimeout/,
    );
    expect(() => build({ approvalEscalation: { after: Duration.minutes(5), group: 'on call!' } })).toThrow(
      /approvalEscalation is not valid/,
    );
  });
});
