import type { MiddlewareObj } from '@middy/core';
import { namedHooks, notePolicyRecord } from '../plumbing/index.ts';
import { type PolicyDecision, policyRecordOf, policyRefusal } from '../policies/index.ts';
import type { PipelinePolicies } from './pipeline-policies.ts';
import type { AnyTool, ToolInvocation } from '../tool/index.ts';
import { tracePolicyDecision } from '../tracing/index.ts';
import { PolicyDeniedError } from '../tool-result/index.ts';

/**
 * Defence in depth, as for roles and the label: the loop and MCP checked the deployment's policies
 * when they screened the call; the tool decides again on the invocation it is given (the tool does
 * not trust the loop). A forbid refuses (`POLICY_DENIED`); an approval the policies ask for is then
 * required by the approval gate (`decisionOf`), with its quorum. The decision goes into the
 * attempt's audit record.
 */
export const requirePolicies = (
  tool: AnyTool,
  policies: PipelinePolicies,
  now: () => number,
  /** Told of every decision (the pipeline counts shadow matches as a metric). */
  onDecision: (decision: PolicyDecision) => void = () => {},
) => {
  const decisions = new WeakMap<ToolInvocation, PolicyDecision>();
  const middleware: MiddlewareObj<ToolInvocation> = namedHooks('requirePolicies', {
    before: (request) => {
      const invocation = request.event;
      const decision: PolicyDecision = policies.set
        ? policies.set.decide({
            tool: tool.name,
            arguments: invocation.arguments,
            userId: invocation.caller.userId,
            groups: invocation.caller.groups,
            runId: invocation.runId,
            untrusted: invocation.untrusted,
            now: new Date(now()),
            // The run's history as the loop counted it (the tool has no view of the run's other calls).
            ...(invocation.history ? { history: invocation.history } : {}),
          })
        : { effect: 'permit', deciding: [], shadow: [], hash: policies.hash };
      decisions.set(invocation, decision);
      notePolicyRecord(request.context, policyRecordOf(decision, invocation.caller, invocation.history));
      tracePolicyDecision(decision);
      onDecision(decision);
      if (decision.effect === 'forbid') throw new PolicyDeniedError(policyRefusal(tool.name, decision));
    },
  });
  return { middleware, decisionOf: (invocation: ToolInvocation) => decisions.get(invocation) };
};
