import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { MODEL_REQUEST_TIMEOUT_MS } from '#functions/orchestration/call-model/call-model.ts';
import { TOOL_CRASHED_FAILURE } from '#shared/tool-result/index.ts';
import { definitionFromTemplate } from '../../../infra/state-machine-definition.ts';
import { ofType, refsIn, useDemoStack } from './demo-stack-template.ts';

// The agent loop as synthesized: the Standard workflow, its states, retries and timeouts, and what
// it may invoke.

const demo = useDemoStack();

describe('the agent loop', () => {
  it('is a Standard workflow with logging (no execution data) and tracing', () => {
    demo.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('has the states of the diagram, retries only Lambda service errors and the model throttling, and waits for a token on approvals', () => {
    const asl = definitionFromTemplate(demo.resources) as unknown as {
      StartAt: string;
      States: Record<
        string,
        {
          Type: string;
          Retry?: Array<{ ErrorEquals: string[] }>;
          Resource?: string;
          TimeoutSeconds?: number;
          ItemProcessor?: {
            States: Record<string, { Resource?: string; TimeoutSeconds?: number; Retry?: Array<{ ErrorEquals: string[] }> }>;
          };
        }
      >;
    };
    expect(asl.StartAt).toBe('CallModel');
    expect(Object.keys(asl.States).sort()).toEqual([
      'ApproveTools',
      'CallModel',
      'ExecuteTools',
      'MarkFailed',
      'Route',
      'RunEnded',
      'RunFailed',
    ]);
    const retried = (asl.States.CallModel?.Retry ?? []).flatMap((r) => r.ErrorEquals);
    expect(retried.every((e) => e.startsWith('Lambda.') || e === 'ModelThrottledError' || e === 'AuditSealError')).toBe(true);
    // A run that ended without its last seal is taken again (found by the fault simulation: nothing else would seal it).
    expect(retried).toContain('AuditSealError');
    // Marking a run failed is retried on any error: an execution that ended without it would leave the run RUNNING.
    expect((asl.States.MarkFailed?.Retry ?? []).flatMap((r) => r.ErrorEquals)).toContain('States.ALL');
    const approval = asl.States.ApproveTools?.ItemProcessor?.States.RequestApproval;
    expect(approval?.Resource).toContain('waitForTaskToken');
    // A failed request is taken again twice; the wait's own timeout never (that is the approval's expiry).
    expect((approval?.Retry ?? []).map((r) => [r.ErrorEquals, (r as { MaxAttempts?: number }).MaxAttempts]).slice(-2)).toEqual([
      [['States.Timeout'], 0],
      [['States.ALL'], 2],
    ]);
    // The approvals store expires the approval after an hour; the task waits a minute longer (APPROVAL_TASK_GRACE_SECONDS).
    expect(approval?.TimeoutSeconds).toBe(3600 + 60);
    const execute = asl.States.ExecuteTools?.ItemProcessor?.States ?? {};
    expect(Object.keys(execute).sort()).toEqual(['InvokeTool', 'ToolCrashed']);
    // Every answer of the Map names its call, the crash included: CallModel pairs them by call id.
    expect((execute.ToolCrashed as { Parameters?: unknown }).Parameters).toMatchObject({
      result: { ok: false, error: TOOL_CRASHED_FAILURE, 'callId.$': '$.invocation.callId' },
    });
  });

  it('times CallModel out after its function, and the function after the model request, so a late answer cannot land', () => {
    const asl = definitionFromTemplate(demo.resources) as unknown as { States: Record<string, { TimeoutSeconds?: number }> };
    const [, fn] = ofType(demo.resources, 'AWS::Lambda::Function').find(([, f]) =>
      String(f.Properties.Description).startsWith('Agent loop: calls the model'),
    )!;
    const functionTimeout = Number(fn.Properties.Timeout);
    expect(functionTimeout * 1000).toBeGreaterThan(MODEL_REQUEST_TIMEOUT_MS);
    expect(asl.States.CallModel?.TimeoutSeconds).toBeGreaterThan(functionTimeout);
  });

  it('may invoke only the tool and orchestration functions', () => {
    const [roleId] = ofType(demo.resources, 'AWS::IAM::Role').find(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('states.amazonaws.com'),
    )!;
    const invoked = ofType(demo.resources, 'AWS::IAM::Policy')
      .filter(([, p]) => refsIn(p.Properties.Roles).includes(roleId))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement)
      .filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'))
      .flatMap((st) => refsIn(st.Resource));
    const functions = ofType(demo.resources, 'AWS::Lambda::Function')
      .filter(([, fn]) => !/^(HTTP API|MCP)/.test(String(fn.Properties.Description)))
      .map(([id]) => id);
    expect(new Set(invoked)).toEqual(new Set(functions));
    expect(functions).toHaveLength(toolCatalog.tools.length + 2);
  });
});
