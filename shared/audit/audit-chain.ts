import { createHash } from 'node:crypto';
import { hashCanonical } from '../canonical-json/index.ts';
import { type AuditRecord, callerToolKey } from './audit-record.ts';
import { auditDayKey } from './audit-day.ts';

/**
 * A run's audit records as a hash chain. Records are written by several functions at once (the
 * tool calls of one turn run in parallel), and each write stays one request (the guard's three
 * round trips), so records do not link themselves as they are written: the loop, the one writer a
 * run has at a time, seals them. Each seal (a link) takes the records written since the one
 * before, in their key order, and chains them: every entry carries the hash of the entry before
 * it (across links), of its record's canonical form and of its key. Editing, deleting or moving a
 * sealed record breaks the chain at that record; a record added afterwards is not in it.
 */

/** The chain's value before its first entry. */
export const GENESIS = '0'.repeat(64);

/** One record in the chain: its key (time#attempt), the hash of its canonical form, and the chain up to it. */
export interface ChainEntry {
  readonly key: string;
  readonly hash: string;
  /** sha256 of the entry before's `chained`, this key and this hash. */
  readonly chained: string;
}

/** One seal: the records written since the previous one. */
export interface AuditLink {
  readonly runId: string;
  /** 1, 2, 3… in the order the seals were made. */
  readonly seq: number;
  /** ISO-8601 time of the seal. */
  readonly sealedAt: string;
  readonly entries: readonly ChainEntry[];
}

/** A record as stored: its key, the record, and the attributes copied out of it for the indexes. */
export interface StoredAuditRecord {
  readonly key: string;
  readonly record: AuditRecord;
  readonly attributes: { readonly tool?: string; readonly status?: string; readonly day?: string; readonly callerTool?: string };
}

/** What the chain of one run holds, as read from the store. */
export interface RunChain {
  readonly records: readonly StoredAuditRecord[];
  readonly links: readonly AuditLink[];
}

/** The hash of a record's canonical form (keys sorted at every depth): what the chain binds. */
export const recordHash = (record: AuditRecord): string => hashCanonical(record);

const chain = (previous: string, key: string, hash: string): string =>
  createHash('sha256').update(`${previous}\n${key}\n${hash}`).digest('hex');

/** The chain's value after its last entry: what a copy kept elsewhere must equal. */
export const chainHead = (links: readonly AuditLink[]): string => links.at(-1)?.entries.at(-1)?.chained ?? GENESIS;

/**
 * The next seal of a run: every record not yet in a link, in key order, chained on from the head.
 * Undefined when there is nothing to seal. Pure: the store writes it only if no seal of that
 * number exists, so two sealers never both extend the chain.
 */
export const nextLink = (runChain: RunChain, runId: string, sealedAt: Date): AuditLink | undefined => {
  const sealed = new Set(runChain.links.flatMap((link) => link.entries.map((entry) => entry.key)));
  const fresh = runChain.records.filter((r) => !sealed.has(r.key)).sort((a, b) => a.key.localeCompare(b.key));
  if (fresh.length === 0) return undefined;
  let previous = chainHead(runChain.links);
  const entries = fresh.map(({ key, record }) => {
    const hash = recordHash(record);
    previous = chain(previous, key, hash);
    return { key, hash, chained: previous };
  });
  return { runId, seq: (runChain.links.at(-1)?.seq ?? 0) + 1, sealedAt: sealedAt.toISOString(), entries };
};

/** Where a chain breaks, and how. */
export interface ChainBreak {
  readonly kind:
    | 'edited'
    | 'deleted'
    | 'chain-broken'
    | 'link-missing'
    | 'unsealed'
    | 'index-mismatch'
    | 'archive-mismatch'
    | 'anchor-mismatch'
    | 'anchor-beyond-table'
    | 'reopened'
    | 'sealed-after-end';
  /** The record's key (time#attempt), for breaks at a record. */
  readonly key?: string;
  /** The seal's number, for breaks in the chain itself. */
  readonly link?: number;
  readonly message: string;
}

/**
 * What `verifyChain` found of a run's audit chain: whether it is intact, its counts, its head, and
 * every break.
 */
export interface ChainVerdict {
  /** No break: every sealed record is as sealed and in its place, and (for a run that ended) nothing is outside the chain. */
  readonly intact: boolean;
  readonly records: number;
  readonly sealed: number;
  readonly links: number;
  /** The chain's value after its last entry. */
  readonly head: string;
  /** Records written since the last seal of a run still going: they join the chain at the next step. */
  readonly pending: number;
  /** Every break, in chain order; the first is where it breaks. */
  readonly breaks: readonly ChainBreak[];
}

/**
 * Checks a run's chain against its records. `ended`: the run has finished, so its last seal was
 * made after its last record and any record outside the chain is a break, not one waiting for a seal.
 */
export const verifyChain = (runChain: RunChain, options: { readonly ended: boolean }): ChainVerdict => {
  const breaks: ChainBreak[] = [];
  const byKey = new Map(runChain.records.map((r) => [r.key, r]));
  const links = [...runChain.links].sort((a, b) => a.seq - b.seq);
  const inChain = new Set<string>();
  let previous = GENESIS;
  links.forEach((link, index) => {
    if (link.seq !== index + 1) breaks.push({ kind: 'link-missing', link: index + 1, message: `Seal ${index + 1} is missing.` });
    for (const entry of link.entries) {
      inChain.add(entry.key);
      const expected = chain(previous, entry.key, entry.hash);
      if (entry.chained !== expected)
        breaks.push({
          kind: 'chain-broken',
          key: entry.key,
          link: link.seq,
          message: `The chain breaks at ${entry.key} in seal ${link.seq}: it does not follow the entry before it.`,
        });
      previous = entry.chained;
      const stored = byKey.get(entry.key);
      if (!stored) {
        breaks.push({
          kind: 'deleted',
          key: entry.key,
          link: link.seq,
          message: `The record ${entry.key} sealed in seal ${link.seq} is gone.`,
        });
        continue;
      }
      const copiesAgree = stored.attributes.tool === stored.record.tool && stored.attributes.status === stored.record.status;
      if (recordHash(stored.record) !== entry.hash || !copiesAgree)
        breaks.push({
          kind: 'edited',
          key: entry.key,
          link: link.seq,
          message: `The record ${entry.key} was changed after seal ${link.seq}.`,
        });
      // The day index reads `day`: a record whose copy is missing or wrong is hidden from the audit search.
      else if (
        stored.attributes.day !== auditDayKey(stored.record.at, stored.record.attemptId) ||
        // The calls index reads `callerTool`: a copy changed files the call under another user or tool, out of its count.
        (stored.attributes.callerTool !== undefined &&
          stored.attributes.callerTool !== callerToolKey(stored.record.tool, stored.record.userId))
      )
        breaks.push({
          kind: 'index-mismatch',
          key: entry.key,
          link: link.seq,
          message: `The record ${entry.key} is not filed under its day in the audit search index, or under its caller in the calls index (its \`day\` or \`callerTool\` was removed or changed): hidden from GET /audit or from the policies' count.`,
        });
    }
  });
  const outside = runChain.records.filter((r) => !inChain.has(r.key)).sort((a, b) => a.key.localeCompare(b.key));
  if (options.ended)
    for (const { key } of outside)
      breaks.push({
        kind: 'unsealed',
        key,
        message: `The record ${key} is not in the chain of a run that has ended: added or moved after its last seal.`,
      });
  return {
    intact: breaks.length === 0,
    records: runChain.records.length,
    sealed: inChain.size,
    links: links.length,
    head: previous,
    pending: options.ended ? 0 : outside.length,
    breaks,
  };
};

/**
 * Where the table and the archived copy of a finished run disagree: a record changed, gone or
 * added since the archive, or a head that differs (the table's seals rewritten to match).
 */
export const compareWithArchive = (
  runChain: RunChain,
  archived: { readonly archivedAt: string; readonly head: string; readonly records: readonly StoredAuditRecord[] },
): ChainBreak[] => {
  const breaks: ChainBreak[] = [];
  const inTable = new Map(runChain.records.map((r) => [r.key, recordHash(r.record)]));
  const inArchive = new Map(archived.records.map((r) => [r.key, recordHash(r.record)]));
  const since = `the copy archived at ${archived.archivedAt}`;
  for (const [key, hash] of inArchive) {
    const now = inTable.get(key);
    if (now === undefined) breaks.push({ kind: 'archive-mismatch', key, message: `The record ${key} is in ${since}, not in the table.` });
    else if (now !== hash) breaks.push({ kind: 'archive-mismatch', key, message: `The record ${key} differs from ${since}.` });
  }
  for (const key of inTable.keys())
    if (!inArchive.has(key)) breaks.push({ kind: 'archive-mismatch', key, message: `The record ${key} is in the table, not in ${since}.` });
  const head = chainHead(runChain.links);
  if (head !== archived.head)
    breaks.push({
      kind: 'archive-mismatch',
      message: `The chain's head in the table (${head.slice(0, 12)}…) is not ${since} (${archived.head.slice(0, 12)}…).`,
    });
  return breaks;
};
