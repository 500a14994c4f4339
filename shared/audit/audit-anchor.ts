import type { ChainBreak, RunChain } from './audit-chain.ts';

/**
 * A seal's head copied where the writers of the tables cannot rewrite it (GuardedAgent's
 * `auditArchive` bucket, under Object Lock): one object per seal, written as the seal is made,
 * while the run is still going, and one more when the run ends. The seals alone can be recomputed
 * from the table by anyone who writes it; the anchors cannot, so a chain cut short, extended after
 * its end or rewritten consistently no longer matches them.
 */
export interface AuditAnchor {
  readonly runId: string;
  /** The seal anchored. */
  readonly seq: number;
  /** The chain's value after that seal's last entry. */
  readonly head: string;
  /** How many records the chain holds up to that seal. */
  readonly sealed: number;
  /** ISO-8601 time the anchor was written. */
  readonly anchoredAt: string;
  /** The run ended with this seal: nothing may be sealed after it, and the run may not reopen. */
  readonly ended?: true;
}

/** The anchor of a run's chain as it stands now: its last seal. Undefined while nothing is sealed. */
export const anchorOf = (runId: string, chain: RunChain, at: Date, ended: boolean): AuditAnchor | undefined => {
  const links = [...chain.links].sort((a, b) => a.seq - b.seq);
  const last = links.at(-1);
  const head = last?.entries.at(-1)?.chained;
  if (!last || head === undefined) return undefined;
  return {
    runId,
    seq: last.seq,
    head,
    sealed: links.reduce((n, link) => n + link.entries.length, 0),
    anchoredAt: at.toISOString(),
    ...(ended ? { ended: true as const } : {}),
  };
};

/**
 * Where the table's chain and its anchors disagree. Pure.
 * - an anchored seal the table no longer has (`anchor-beyond-table`: its tail was cut), or whose
 *   head differs (`anchor-mismatch`: rewritten and resealed);
 * - an anchor that says the run ended while its record says it is still going (`reopened`), or a
 *   seal made after the anchored end (`sealed-after-end`).
 */
export const compareWithAnchors = (
  runChain: RunChain,
  anchors: readonly AuditAnchor[],
  options: { readonly ended: boolean },
): ChainBreak[] => {
  const breaks: ChainBreak[] = [];
  const headOf = new Map(runChain.links.map((link) => [link.seq, link.entries.at(-1)?.chained]));
  const lastSeq = Math.max(0, ...runChain.links.map((link) => link.seq));
  // One comparison per anchored seal (a run's end is anchored as its last seal again, with `ended`).
  const bySeal = new Map([...anchors].sort((a, b) => Number(b.ended ?? false) - Number(a.ended ?? false)).map((a) => [a.seq, a]));
  for (const anchor of [...bySeal.values()].sort((a, b) => a.seq - b.seq)) {
    const at = `the anchor written at ${anchor.anchoredAt}`;
    if (!headOf.has(anchor.seq))
      breaks.push({
        kind: 'anchor-beyond-table',
        link: anchor.seq,
        message:
          anchor.seq > lastSeq
            ? `Seal ${anchor.seq} is anchored (${at}), but the table's chain ends at seal ${lastSeq}: its tail was cut.`
            : `Seal ${anchor.seq} is anchored (${at}), but the table no longer has it.`,
      });
    else if (headOf.get(anchor.seq) !== anchor.head)
      breaks.push({
        kind: 'anchor-mismatch',
        link: anchor.seq,
        message: `The chain's head at seal ${anchor.seq} in the table is not ${at}: the records or seals up to it were rewritten.`,
      });
  }
  const end = anchors.find((anchor) => anchor.ended);
  if (end && !options.ended)
    breaks.push({
      kind: 'reopened',
      link: end.seq,
      message: `The run was anchored as ended at seal ${end.seq} (${end.anchoredAt}), but its record says it is still going: it was reopened.`,
    });
  if (end && lastSeq > end.seq)
    breaks.push({
      kind: 'sealed-after-end',
      link: lastSeq,
      message: `Seal ${lastSeq} was made after the run's anchored end at seal ${end.seq}: records were added to a run that had ended.`,
    });
  return breaks;
};

/** The anchor a verdict rests on: the last one (an end anchor after a plain one of the same seal). */
export const latestAnchor = (anchors: readonly AuditAnchor[]): AuditAnchor | undefined =>
  [...anchors].sort((a, b) => a.seq - b.seq || Number(a.ended ?? false) - Number(b.ended ?? false)).at(-1);
