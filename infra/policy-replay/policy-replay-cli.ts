/**
 * `npm run policy:replay`: what a candidate set of Cedar policies would have decided on what
 * actually happened. It reads the audit trail through the API (`GET /audit`, admin), compiles the
 * candidate against the deployment's tools (`GET /tools`: a policy that names an unknown tool or
 * argument fails with its file and line), decides every recorded request again, and prints what
 * would change: calls newly refused, newly allowed, newly needing approval.
 *
 *   npm run policy:replay -- --policies policies                 the running local system (npm start), last 7 days
 *   npm run policy:replay -- --policies policies --since 24h --json
 *   npm run policy:replay -- --policies policies --url https://api.example.com --token $ADMIN_TOKEN
 *
 * Exit code: 0 with a report; 1 when the API refused or could not be reached; 2 for bad input (no
 * --policies, a policy file that does not compile).
 */
import { parseArgs } from 'node:util';
import {
  compilePolicies,
  PolicyFileError,
  readPolicyFiles,
  type ReplayChange,
  type ReplayedRecord,
  type ReplayReport,
  replayPolicies,
} from '../../shared/policies/index.ts';
import { apiRequest } from '../api-client.ts';
import { apiFailure, apiTarget, apiTargetOptions } from '../cli-target.ts';
import { progressSteps } from '../progress-count.ts';
import { textTable } from '../text-table.ts';

/** The audit API answers at most this many records per range (GET /audit's limit). */
const MAX_RECORDS = 10_000;

const changeRows = (title: string, changes: readonly ReplayChange[]) =>
  changes.length === 0
    ? []
    : [
        '',
        `${title} (${changes.length}):`,
        ...textTable([
          ['at', 'run', 'call', 'tool', 'user', 'was', 'now', 'deciding'],
          ...changes.map((c) => [c.at, c.runId, c.callId, c.tool, c.userId, c.was, c.now, c.deciding.join(', ') || (c.error ?? '-')]),
        ]),
      ];

/** The report for a terminal. */
export const replayText = (report: ReplayReport & { readonly candidate: string; readonly truncated: boolean }): string =>
  [
    `Replayed ${report.replayed} recorded calls against the candidate policies (${report.candidate.slice(0, 12)}): ` +
      `${report.newlyRefused.length} newly refused, ${report.newlyAllowed.length} newly allowed, ` +
      `${report.newlyNeedApproval.length} newly needing approval, ${report.unchanged} unchanged.`,
    `Skipped ${report.skipped} records no policy set decided (they predate policies, or were refused before the policies were asked).` +
      (report.truncated ? ` Only the first ${MAX_RECORDS} records of the range were read: narrow it with --since/--until.` : ''),
    `Decided at the time by: ${
      Object.entries(report.decidedBy)
        .map(([hash, n]) => `${hash.slice(0, 12)} (${n})`)
        .join(', ') || 'none'
    }.`,
    ...changeRows('Newly refused', report.newlyRefused),
    ...changeRows('Newly allowed without a person', report.newlyAllowed),
    ...changeRows('Newly needing approval', report.newlyNeedApproval),
  ].join('\n');

export const main = async (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> => {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        ...apiTargetOptions(env),
        policies: { type: 'string' },
        since: { type: 'string', default: '7d' },
        until: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`npm run policy:replay: ${(error as Error).message}`);
    return 2;
  }
  if (!values.policies) {
    console.error('npm run policy:replay: --policies <folder of .cedar files> is required');
    return 2;
  }
  let sources;
  try {
    sources = readPolicyFiles(values.policies);
  } catch (error) {
    console.error(`npm run policy:replay: ${(error as Error).message}`);
    return 2;
  }
  // Each step named on stderr as it starts (one updating line on a terminal): the report alone goes to stdout.
  const progress = progressSteps(process.stderr);
  try {
    const { url, token } = apiTarget(values, env.POLICY_REPLAY_TOKEN, 'npm run policy:replay');
    progress.step(`reading the deployment's tools (${url.origin})`);
    const { tools } = await apiRequest<{ tools: Array<{ name: string; inputSchema: Record<string, unknown> }> }>(
      url.href,
      token,
      'GET',
      '/tools',
    );
    progress.step(`compiling ${sources.length} policy file(s) against ${tools.length} tools`);
    const candidate = await compilePolicies(sources, tools);
    const query = new URLSearchParams({
      since: values.since,
      limit: String(MAX_RECORDS),
      ...(values.until ? { until: values.until } : {}),
    });
    progress.step(`reading the audit trail since ${values.since}`);
    const found = await apiRequest<{ records: ReplayedRecord[]; truncated: boolean }>(url.href, token, 'GET', `/audit?${query}`);
    progress.step(`deciding ${found.records.length} recorded calls again`);
    const report = { ...replayPolicies(found.records, candidate), candidate: candidate.hash, truncated: found.truncated };
    progress.end();
    console.log(values.json ? JSON.stringify(report, null, 2) : replayText(report));
    return 0;
  } catch (error) {
    progress.end();
    if (error instanceof PolicyFileError) {
      console.error(`npm run policy:replay: ${error.message}`);
      return 2;
    }
    console.error(apiFailure('npm run policy:replay', error));
    return 1;
  }
};

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
