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

type Verification = ChainVerdict & {
  readonly runId: string;
  readonly status: string;
  /** Present where the deployment keeps an archive: what outside the tables the verdict rests on. */
  readonly anchored?: { readonly seq: number; readonly at: string; readonly ended: boolean } | null;
  readonly archived?: { readonly at: string; readonly head: string } | null;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The verdict for a terminal: intact or not, the counts, and every break with where it is. */
export const verificationText = (v: Verification): string => {
  const counts = `${plural(v.records, 'record')} in the table, ${v.sealed} in the chain (${plural(v.links, 'seal')})${v.pending > 0 ? `, ${v.pending} waiting for the next seal` : ''}`;
  const restsOn = restsOnText(v);
  if (v.intact) return [`Run ${v.runId} (${v.status}): the audit chain is intact: ${counts}. Head ${v.head}.`, restsOn].join('\n');
  return [
    `Run ${v.runId} (${v.status}): the audit chain BREAKS (${plural(v.breaks.length, 'break')}): ${counts}.`,
    ...v.breaks.map((b) => `  ${b.kind}: ${b.message}`),
    restsOn,
  ].join('\n');
};

/** What outside the tables the verdict rests on: the last anchor and the archived copy, or the table alone. */
const restsOnText = (v: Verification): string => {
  if (v.anchored === undefined)
    return 'Rests on the table alone (no audit archive deployed): someone who can write the table can cut or rewrite it unseen.';
  const anchor = v.anchored
    ? `anchor of seal ${v.anchored.seq}${v.anchored.ended ? ' (the run’s end)' : ''}, written ${v.anchored.at}`
    : 'no anchor yet';
  const archive = v.archived ? `; archived copy of ${v.archived.at}` : '';
  return `Rests on: ${anchor}${archive}.`;
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
