/**
 * `npm run usage`: how the tools were used, from the audit trail, through `GET /usage`.
 *
 *   npm run usage                               the running local system (npm start), last 7 days
 *   npm run usage -- --since 24h --json
 *   npm run usage -- --url https://api.example.com --token $ADMIN_TOKEN
 *
 * Exit code: 0 with a report, 1 when the API refused (not an admin, bad range, unreachable).
 */
import { parseArgs } from 'node:util';
import type { UsageReport } from '../../functions/api/usage-report.ts';
import { apiRequest } from '../api-client.ts';
import { percent, textTable } from '../text-table.ts';
import { apiFailure, apiTarget, apiTargetOptions } from '../cli-target.ts';

/** The report for a terminal: per tool figures, what fails validation, screening refusals, unused tools, suggestions. */
export const usageText = (report: UsageReport): string => {
  const lines = [
    `Tool usage ${report.since} to ${report.until}: ${report.records} audit records${report.truncated ? ' (truncated: the oldest part of the range only)' : ''}.`,
    '',
    ...textTable([
      ['tool', 'calls', 'success', 'errors', 'throttled', 'breaker opened', 'approved/denied/expired', 'p50 ms', 'p95 ms'],
      ...report.tools.map((t) => [
        t.tool,
        String(t.calls),
        percent(t.successRate),
        Object.entries(t.errorsByCode)
          .map(([code, n]) => `${code} ${n}`)
          .join(', ') || '-',
        String(t.throttles),
        String(t.breakerOpenings),
        `${t.approvals.approved}/${t.approvals.denied}/${t.approvals.expired}`,
        t.durationMs ? String(t.durationMs.p50) : '-',
        t.durationMs ? String(t.durationMs.p95) : '-',
      ]),
    ]),
  ];
  const failing = report.tools.flatMap((t) => t.failingArguments.map((a) => `  ${t.tool}.${a.argument}: ${a.rule} (${a.count})`));
  if (failing.length > 0) lines.push('', 'Arguments that fail validation most often:', ...failing);
  const refused = report.tools.flatMap((t) => t.screeningRefusals.map((r) => `  ${t.tool}: ${r.code} ${r.count}x: ${r.reason}`));
  if (refused.length > 0) lines.push('', 'Refused at screening:', ...refused);
  if (report.neverCalled.length > 0) lines.push('', `Never called: ${report.neverCalled.join(', ')}.`);
  if (report.suggestions.length > 0) lines.push('', 'Suggestions:', ...report.suggestions.map((s) => `  - ${s.text}`));
  return lines.join('\n');
};

export const main = async (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> => {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        ...apiTargetOptions(env),
        since: { type: 'string', default: '7d' },
        until: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const { url, token } = apiTarget(values, env.USAGE_TOKEN, 'npm run usage');
    const query = new URLSearchParams({ since: values.since, ...(values.until ? { until: values.until } : {}) });
    const report = await apiRequest<UsageReport>(url.href, token, 'GET', `/usage?${query}`);
    console.log(values.json ? JSON.stringify(report, null, 2) : usageText(report));
    return 0;
  } catch (error) {
    console.error(apiFailure('npm run usage', error));
    return 1;
  }
};

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
