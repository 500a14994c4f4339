/**
 * `npm run audit:verify -- <runId>`: checks a run's audit hash chain through
 * `GET /runs/{id}/audit/verify` and says where it breaks.
 *
 *   npm run audit:verify -- run-123                          the running local system (npm start)
 *   npm run audit:verify -- run-123 --json
 *   npm run audit:verify -- run-123 --url https://api.example.com --token $ADMIN_TOKEN
 *
 * Exit code: 0 when the chain is intact, 2 when it breaks, 1 when the API refused (unknown run,
 * not the owner or an admin, unreachable).
 */
import { parseArgs } from 'node:util';
import type { ChainVerdict } from '../../shared/audit/index.ts';
import { apiRequest } from '../api-client.ts';
import { apiFailure, apiTarget, apiTargetOptions } from '../cli-target.ts';

type Verification = ChainVerdict & { readonly runId: string; readonly status: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The verdict for a terminal: intact or not, the counts, and every break with where it is. */
export const verificationText = (v: Verification): string => {
  const counts = `${plural(v.records, 'record')} in the table, ${v.sealed} in the chain (${plural(v.links, 'seal')})${v.pending > 0 ? `, ${v.pending} waiting for the next seal` : ''}`;
  if (v.intact) return `Run ${v.runId} (${v.status}): the audit chain is intact: ${counts}. Head ${v.head}.`;
  return [
    `Run ${v.runId} (${v.status}): the audit chain BREAKS (${plural(v.breaks.length, 'break')}): ${counts}.`,
    ...v.breaks.map((b) => `  ${b.kind}: ${b.message}`),
  ].join('\n');
};

export const main = async (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> => {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...apiTargetOptions(env), json: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    const [runId] = positionals;
    if (!runId || positionals.length > 1) throw new Error('name one run: npm run audit:verify -- <runId>');
    const { url, token } = apiTarget(values, env.AUDIT_TOKEN, 'npm run audit:verify');
    const verdict = await apiRequest<Verification>(url.href, token, 'GET', `/runs/${encodeURIComponent(runId)}/audit/verify`);
    console.log(values.json ? JSON.stringify(verdict, null, 2) : verificationText(verdict));
    return verdict.intact ? 0 : 2;
  } catch (error) {
    console.error(apiFailure('npm run audit:verify', error));
    return 1;
  }
};

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
