import type { MiddlewareObj } from '@middy/core';
import { roleAllowlist, judgeFlow, type FlowMode } from '../guards/index.ts';
import type { AnyTool, ToolInvocation } from '../tool/index.ts';
import { PermissionDeniedError } from '../tool-result/index.ts';
import { namedHooks } from '../plumbing/index.ts';

/**
 * Defence in depth for sinks, as for roles: the loop screens by the run's information-flow label
 * already; the tool checks the label it is invoked with again. In `refuse` mode such a call never
 * runs; in `approve` mode the approval gate then requires its approval.
 */
export const requireFlow = (tool: AnyTool, mode: FlowMode): MiddlewareObj<ToolInvocation> =>
  namedHooks('requireFlow', {
    before: (request) => {
      const { untrusted, arguments: args, vouchedBy } = request.event;
      const verdict = judgeFlow(tool, untrusted, mode, { arguments: args, vouchedBy });
      if (verdict.verdict === 'refuse') throw new PermissionDeniedError(verdict.reason);
    },
  });

/**
 * Defence in depth: the loop offers and screens by role already; the tool checks again.
 *
 * @example
 * middy(handler).use(validateCall(lookupOrder)).use(requireRole(lookupOrder));
 */
export const requireRole = (tool: AnyTool): MiddlewareObj<ToolInvocation> =>
  namedHooks('requireRole', {
    before: (request) => {
      const verdict = roleAllowlist(tool, request.event.caller.groups);
      if (!verdict.allow) throw new PermissionDeniedError(verdict.reason);
    },
  });
