import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createTemplateApp } from '../../../infra/cdk-app.ts';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { loopPath } from '../../../infra/local/loop-path.ts';
import { definitionFromTemplate } from '../../../infra/state-machine-definition.ts';

// The definition CDK synthesizes for the demo stack: the one deployed and the one local mode runs.
const definition = definitionFromTemplate(
  Template.fromStack(new GuardedAgentsStack(createTemplateApp(), 'Path', { senderEmail: 'agent@example.com' })).toJSON().Resources,
);

describe('loopPath', () => {
  it("lists the machine's states in the order a run meets them, each Map's item states right after it", () => {
    const { states } = loopPath(definition, []);
    expect(states.map((s) => `${s.depth}:${s.name}`)).toEqual([
      '0:CallModel',
      '0:Route',
      '0:RunEnded',
      '0:ApproveTools',
      '1:RequestApproval',
      '1:Decided',
      '1:TakeEditedArguments',
      '1:InvokeApproved',
      '1:ApprovedToolCrashed',
      '1:ApprovalDenied',
      '1:ApprovalExpired',
      '1:ApprovalFailed',
      '0:ExecuteTools',
      '1:InvokeTool',
      '1:ToolCrashed',
      '0:MarkFailed',
      '0:RunFailed',
    ]);
  });

  it('says where each state may go: Next, Choice branches and default, Catch handlers, and the end', () => {
    const byName = new Map(loopPath(definition, []).states.map((s) => [s.name, s]));
    expect(byName.get('CallModel')).toMatchObject({ type: 'Task', next: ['Route', 'MarkFailed'] });
    expect(byName.get('Route')).toMatchObject({ type: 'Choice', next: ['RunEnded', 'ApproveTools', 'ExecuteTools'] });
    expect(byName.get('RequestApproval')?.next).toEqual(['Decided', 'ApprovalExpired', 'ApprovalFailed']);
    expect(byName.get('InvokeApproved')?.next).toEqual(['ApprovedToolCrashed', 'end']);
    expect(byName.get('RunEnded')?.next).toEqual(['end']);
    // An edited approval goes through TakeEditedArguments; one as asked straight to InvokeApproved.
    expect(byName.get('Decided')?.next).toEqual(['TakeEditedArguments', 'InvokeApproved', 'ApprovalDenied']);
    expect(byName.get('TakeEditedArguments')?.next).toEqual(['InvokeApproved']);
  });

  it('counts what a run entered, every Map item included, and prices its transitions', () => {
    const entered = ['CallModel', 'Route', 'ExecuteTools', 'InvokeTool', 'InvokeTool', 'CallModel', 'Route', 'RunEnded'];
    const path = loopPath(definition, entered);
    expect(Object.fromEntries(path.states.filter((s) => s.entered > 0).map((s) => [s.name, s.entered]))).toEqual({
      CallModel: 2,
      Route: 2,
      RunEnded: 1,
      ExecuteTools: 1,
      InvokeTool: 2,
    });
    expect(path.transitions).toBe(8);
    expect(path.costUsd).toBeCloseTo(8 * 0.000025, 12);
  });
});
