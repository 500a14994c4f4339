import { roleAllowlist } from '../../../shared/guards/index.ts';
import { RiskClass, Role, toolSpec } from '../../../shared/tool/index.ts';
import { badRequest, forbidden, notFound } from '../http-error.ts';
import { buildUsageReport } from '../usage-report.ts';
import { protectedResourceMetadata } from '../mcp/protected-resource.ts';
import type { Route } from '../api-deps.ts';
import { spenderFor, DAY_MS, MAX_USAGE_RANGE_DAYS, timeParam } from '../route-helpers.ts';

/** The service around the runs: health, MCP and its metadata, the tools a caller may use, their budgets, the usage report. */
export const serviceRoutes: readonly Route[] = [
  { method: 'GET', pattern: /^\/health$/, authenticated: false, handler: async () => ({ status: 200, body: { status: 'ok' } }) },

  // MCP authorization: `/mcp`'s protected-resource metadata (RFC 9728), at the well-known path and its path-inserted `/mcp` form.
  ...[/^\/\.well-known\/oauth-protected-resource$/, /^\/\.well-known\/oauth-protected-resource\/mcp$/].map((pattern): Route => ({
    method: 'GET',
    pattern,
    authenticated: false,
    handler: async (request, _params, deps) => ({
      status: 200,
      body: protectedResourceMetadata(request.origin ?? '', deps.mcpAuthorization),
    }),
  })),

  {
    method: 'GET',
    pattern: /^\/tools$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      const { identity } = request;
      const tools = deps.registry.tools.filter((tool) => roleAllowlist(tool, identity.groups).allow);
      const open = await deps.openBreakers(tools.map((t) => t.name));
      return {
        status: 200,
        body: {
          tools: tools.map((tool) => ({
            ...toolSpec(tool),
            risk: tool.risk,
            needsApproval: tool.risk === RiskClass.DESTRUCTIVE,
            limits: tool.limits,
            timeoutMs: tool.timeoutMs,
            breaker: open.has(tool.name) ? 'OPEN' : 'CLOSED',
          })),
        },
      };
    },
  },

  {
    method: 'GET',
    pattern: /^\/budgets$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      // The caller's own windows: what each declared limit allows and what has been spent in it.
      if (!deps.spend) return { status: 200, body: { budgets: [] } };
      return { status: 200, body: { budgets: await deps.spend.guard.standing(spenderFor(request.identity, deps.spend.budgets)) } };
    },
  },

  {
    method: 'POST',
    pattern: /^\/mcp$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      if (!deps.mcp) throw notFound('MCP is not enabled on this deployment.');
      return deps.mcp.handle(request);
    },
  },

  {
    method: 'GET',
    pattern: /^\/usage$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      if (!request.identity.groups.includes(Role.ADMIN)) throw forbidden('Only admins may see the usage report.');
      const now = (deps.now ?? Date.now)();
      const until = request.query.until === undefined ? new Date(now) : timeParam(request.query.until, now, 'until');
      const since =
        request.query.since === undefined ? new Date(until.getTime() - 7 * DAY_MS) : timeParam(request.query.since, now, 'since');
      if (since > until) throw badRequest('since must be before until.');
      if (until.getTime() - since.getTime() > MAX_USAGE_RANGE_DAYS * DAY_MS)
        throw badRequest(`The range may span at most ${MAX_USAGE_RANGE_DAYS} days.`);
      const { records, truncated } = await deps.audit.listBetween(since, until);
      return {
        status: 200,
        body: buildUsageReport(records, { tools: deps.registry.tools, since, until, truncated }),
      };
    },
  },
];
