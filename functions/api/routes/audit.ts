import { Role } from '../../../shared/tool/index.ts';
import { badRequest, forbidden } from '../http-error.ts';
import { auditCsv, auditJsonLines } from '../audit-export.ts';
import { auditSearchSchema } from '../request-schemas.ts';
import type { Route } from '../api-deps.ts';
import { parseWith, DAY_MS, MAX_USAGE_RANGE_DAYS, timeParam } from '../route-helpers.ts';

/** The audit trail across runs, for admins: search and export. */
export const auditRoutes: readonly Route[] = [
  {
    method: 'GET',
    pattern: /^\/audit$/,
    authenticated: true,
    handler: async (request, _params, deps) => {
      if (!request.identity.groups.includes(Role.ADMIN)) throw forbidden('Only admins may search the audit trail.');
      const query = parseWith(auditSearchSchema, request.query);
      const now = (deps.now ?? Date.now)();
      const until = query.until === undefined ? new Date(now) : timeParam(query.until, now, 'until');
      const since = query.since === undefined ? new Date(until.getTime() - DAY_MS) : timeParam(query.since, now, 'since');
      if (since > until) throw badRequest('since must be before until.');
      if (until.getTime() - since.getTime() > MAX_USAGE_RANGE_DAYS * DAY_MS)
        throw badRequest(`The range may span at most ${MAX_USAGE_RANGE_DAYS} days.`);
      const limit = query.limit ?? 1000;
      const found = query.runId
        ? { records: (await deps.audit.listByRun(query.runId)).filter((r) => r.at >= since.toISOString() && r.at <= until.toISOString()) }
        : await deps.audit.listBetween(since, until);
      const matching = found.records.filter(
        (r) =>
          (!query.tool || r.tool === query.tool) &&
          (!query.user || r.userId === query.user) &&
          (!query.status || r.status === query.status),
      );
      const records = matching.slice(0, limit);
      const truncated = matching.length > limit || ('truncated' in found && found.truncated === true);
      const file = `audit-${since.toISOString().slice(0, 10)}-${until.toISOString().slice(0, 10)}`;
      if (query.format === 'csv' || query.format === 'jsonl')
        return {
          status: 200,
          rawBody: query.format === 'csv' ? auditCsv(records) : auditJsonLines(records),
          headers: {
            'content-type': query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
            'content-disposition': `attachment; filename="${file}.${query.format}"`,
            'x-truncated': String(truncated),
          },
        };
      return { status: 200, body: { since: since.toISOString(), until: until.toISOString(), truncated, records } };
    },
  },
];
