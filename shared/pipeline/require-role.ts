import type { MiddlewareObj } from '@middy/core';
import { roleAllowlist } from '../guards/role-allowlist.ts';
import type { AnyTool } from '../tool/define-tool.ts';
import type { ToolInvocation } from '../tool/invocation.ts';
import { PermissionDeniedError } from '../tool-result/errors.ts';
import { namedHooks } from '../tool/named-hooks.ts';

/** Defence in depth: the loop offers and screens by role already; the tool checks again. */
export const requireRole = (tool: AnyTool): MiddlewareObj<ToolInvocation> =>
  namedHooks('requireRole', {
    before: (request) => {
      const verdict = roleAllowlist(tool, request.event.caller.groups);
      if (!verdict.allow) throw new PermissionDeniedError(verdict.reason);
    },
  });
