import type { MiddlewareObj } from '@middy/core';
import { roleAllowlist } from '../guards/role-allowlist.ts';
import { judgeFlow, type FlowMode } from '../guards/information-flow.ts';
import type { AnyTool } from '../tool/define-tool.ts';
import type { ToolInvocation } from '../tool/invocation.ts';
import { PermissionDeniedError } from '../tool-result/errors.ts';
import { namedHooks } from '../plumbing/named-hooks.ts';

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
