import { buildLabelClearedRecord } from '../../../shared/audit/index.ts';
import { Role } from '../../../shared/tool/index.ts';
import { forbidden, notFound } from '../http-error.ts';
import type { Route } from '../api-deps.ts';
import { labelView } from '../route-helpers.ts';

/** A user's own state: their MCP information-flow label, seen and cleared by themself or an admin. */
export const userRoutes: readonly Route[] = [
  // A user's MCP information-flow label: the user themself or an admin may see it and clear it
  // (they decide the model's context is clean again); a clearing is audited.
  ...(['GET', 'DELETE'] as const).map((method): Route => ({
    method,
    pattern: /^\/users\/([^/]+)\/mcp-label$/,
    authenticated: true,
    handler: async (request, [userId = ''], deps) => {
      const { identity } = request;
      if (!/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/.test(userId)) throw notFound('No such user.');
      if (userId !== identity.userId && !identity.groups.includes(Role.ADMIN))
        throw forbidden("Only the user themself or an admin may see or clear a user's MCP label.");
      if (!deps.mcpLabels) throw notFound('MCP is not served here.');
      if (method === 'GET') return { status: 200, body: { userId, label: labelView(await deps.mcpLabels.get(userId)) } };
      const cleared = await deps.mcpLabels.clear(userId);
      if (cleared)
        await deps.audit.put(buildLabelClearedRecord({ userId, clearedBy: identity.userId, label: cleared, at: (deps.now ?? Date.now)() }));
      return { status: 200, body: { userId, cleared: labelView(cleared) } };
    },
  })),
];
