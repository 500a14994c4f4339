import { describe, expect, it } from 'vitest';
import {
  chainHead,
  GENESIS,
  nextLink,
  verifyChain,
  type AuditLink,
  type RunChain,
  type StoredAuditRecord,
} from '#shared/audit/audit-chain.ts';
import { type AuditRecord, callerToolKey } from '#shared/audit/audit-record.ts';
import { auditDayKey } from '#shared/audit/audit-day.ts';
import { anchorOf, compareWithAnchors, latestAnchor } from '#shared/audit/audit-anchor.ts';

const recordAt = (second: number, attemptId: string, overrides: Partial<AuditRecord> = {}): StoredAuditRecord => {
  const record: AuditRecord = {
    runId: 'run-1',
    callId: `c1-${second}`,
    attemptId,
    tool: 'lookup_order',
    userId: 'ann',
    status: 'executed' as AuditRecord['status'],
    durationMs: 12,
    at: `2026-11-30T12:00:0${second}.000Z`,
    arguments: { orderId: `ORD-10000${second}` },
    result: '{"status":"shipped"}',
    declaration: '3f0c9a1be2d47a65',
    ...overrides,
  };
  return {
    key: `${record.at}#${record.attemptId}`,
    record,
    attributes: { tool: record.tool, status: record.status, day: auditDayKey(record.at, record.attemptId) },
  };
};

/** Records sealed as the loop seals them: a first seal after two records, a second after two more. */
const sealedRun = () => {
  const first = [recordAt(1, 'a1'), recordAt(2, 'a2')];
  const link1 = nextLink({ records: first, links: [] }, 'run-1', new Date('2026-11-30T12:00:05Z'))!;
  const all = [...first, recordAt(3, 'a3'), recordAt(4, 'a4', { tool: 'send_email', status: 'denied' as AuditRecord['status'] })];
  const link2 = nextLink({ records: all, links: [link1] }, 'run-1', new Date('2026-11-30T12:00:09Z'))!;
  return { records: all, links: [link1, link2] };
};

const kinds = (chain: RunChain, ended = true) => verifyChain(chain, { ended }).breaks.map((b) => `${b.kind}:${b.key ?? b.link}`);

describe('nextLink', () => {
  it('seals the records not yet in the chain, in key order, chained on from the head', () => {
    const { links } = sealedRun();
    expect(links.map((l) => [l.seq, l.entries.map((e) => e.key.slice(17, 19))])).toEqual([
      [1, ['01', '02']],
      [2, ['03', '04']],
    ]);
    expect(links[0]?.entries[0]?.chained).not.toBe(GENESIS);
    expect(chainHead(links)).toBe(links[1]?.entries[1]?.chained);
  });

  it('has nothing to seal when every record is in the chain', () => {
    const run = sealedRun();
    expect(nextLink(run, 'run-1', new Date())).toBeUndefined();
  });

  it('chains the same records to the same head whatever order they are read in', () => {
    const records = [recordAt(2, 'a2'), recordAt(1, 'a1')];
    const a = nextLink({ records, links: [] }, 'run-1', new Date(0))!;
    const b = nextLink({ records: [...records].reverse(), links: [] }, 'run-1', new Date(0))!;
    expect(chainHead([a])).toBe(chainHead([b]));
  });
});

describe('verifyChain', () => {
  it('finds an untouched chain intact', () => {
    const verdict = verifyChain(sealedRun(), { ended: true });
    expect(verdict).toMatchObject({ intact: true, records: 4, sealed: 4, links: 2, pending: 0, breaks: [] });
  });

  it('catches an edited record: its arguments, its status copied for the index, or its time', () => {
    const run = sealedRun();
    const edit = (i: number, change: (r: StoredAuditRecord) => StoredAuditRecord) => ({
      ...run,
      records: run.records.map((r, j) => (j === i ? change(r) : r)),
    });
    const key2 = run.records[1]!.key;
    expect(kinds(edit(1, (r) => ({ ...r, record: { ...r.record, arguments: { orderId: 'ORD-999999' } } })))).toEqual([`edited:${key2}`]);
    expect(kinds(edit(3, (r) => ({ ...r, attributes: { ...r.attributes, status: 'executed' } })))).toEqual([
      `edited:${run.records[3]!.key}`,
    ]);
    // Even a change that leaves the JSON's meaning but not its content: the denied call made "approved".
    expect(kinds(edit(3, (r) => ({ ...r, record: { ...r.record, status: 'approved' as AuditRecord['status'] } })))).toContain(
      `edited:${run.records[3]!.key}`,
    );
  });

  it('catches a deleted record, and a record moved to another time (deleted at its key, outside the chain at the new one)', () => {
    const run = sealedRun();
    const key1 = run.records[0]!.key;
    expect(kinds({ ...run, records: run.records.slice(1) })).toEqual([`deleted:${key1}`]);
    const moved = recordAt(7, 'a1');
    expect(kinds({ ...run, records: [moved, ...run.records.slice(1)] })).toEqual([`deleted:${key1}`, `unsealed:${moved.key}`]);
  });

  it('catches records reordered within the chain, and a chain rewritten from a record on but not to its end', () => {
    const run = sealedRun();
    const [link1, link2] = run.links as [AuditLink, AuditLink];
    const swapped: AuditLink = { ...link2, entries: [link2.entries[1]!, link2.entries[0]!] };
    expect(kinds({ ...run, links: [link1, swapped] })).toEqual([
      `chain-broken:${link2.entries[1]!.key}`,
      `chain-broken:${link2.entries[0]!.key}`,
    ]);
    // The first seal's entry rewritten for an edited record: the entry after it no longer follows.
    const editedRecords = run.records.map((r, j) => (j === 0 ? { ...r, record: { ...r.record, userId: 'mallory' } } : r));
    const resealed = nextLink({ records: editedRecords.slice(0, 2), links: [] }, 'run-1', new Date(link1.sealedAt))!;
    expect(kinds({ records: editedRecords, links: [resealed, link2] })).toEqual([`chain-broken:${link2.entries[0]!.key}`]);
  });

  it('catches a deleted seal, and a record added after the run ended', () => {
    const run = sealedRun();
    expect(kinds({ ...run, links: [run.links[1]!] })).toEqual(
      expect.arrayContaining(['link-missing:1', `chain-broken:${run.links[1]!.entries[0]!.key}`]),
    );
    const added = recordAt(8, 'forged');
    expect(kinds({ ...run, records: [...run.records, added] })).toEqual([`unsealed:${added.key}`]);
  });

  it('catches a record filed under no day, or another, in the search index: hidden from the audit search', () => {
    const runChain = sealedRun();
    const key = runChain.records[1]!.key;
    const hide = (day: string | undefined) => ({
      ...runChain,
      records: runChain.records.map((r) =>
        r.key === key ? { ...r, attributes: { tool: r.attributes.tool, status: r.attributes.status, ...(day ? { day } : {}) } } : r,
      ),
    });
    expect(kinds(hide(undefined))).toEqual([`index-mismatch:${key}`]);
    expect(kinds(hide('2001-01-01#0'))).toEqual([`index-mismatch:${key}`]);
  });

  it("catches a call filed under another caller or tool in the calls index: out of the policies' count", () => {
    const runChain = sealedRun();
    const target = runChain.records[1]!;
    const file = (callerTool: string) => ({
      ...runChain,
      records: runChain.records.map((r) => (r.key === target.key ? { ...r, attributes: { ...r.attributes, callerTool } } : r)),
    });
    expect(kinds(file(callerToolKey(target.record.tool, target.record.userId)))).toEqual([]);
    expect(kinds(file(callerToolKey(target.record.tool, 'someone-else')))).toEqual([`index-mismatch:${target.key}`]);
  });

  it('counts records written since the last seal of a run still going as pending, not as a break', () => {
    const run = sealedRun();
    const verdict = verifyChain({ ...run, records: [...run.records, recordAt(9, 'a9')] }, { ended: false });
    expect(verdict).toMatchObject({ intact: true, pending: 1, sealed: 4 });
  });
});

describe('compareWithAnchors', () => {
  const at = new Date('2026-12-01T00:00:00.000Z');
  const twoSeals = (): RunChain => {
    const first = { records: [recordAt(1, 'a'), recordAt(2, 'b')], links: [] as AuditLink[] };
    const one = { ...first, links: [nextLink(first, 'run-1', at)!] };
    const more = { ...one, records: [...one.records, recordAt(3, 'c')] };
    return { ...more, links: [...more.links, nextLink(more, 'run-1', at)!] };
  };
  const anchorsOf = (runChain: RunChain, ended: boolean) => {
    const firstSeal = anchorOf('run-1', { ...runChain, links: runChain.links.slice(0, 1) }, at, false)!;
    const last = anchorOf('run-1', runChain, at, false)!;
    return ended ? [firstSeal, last, { ...last, ended: true as const }] : [firstSeal, last];
  };

  it('finds a chain that matches its anchors whole, open or ended, and names the anchor it rests on', () => {
    const runChain = twoSeals();
    expect(compareWithAnchors(runChain, anchorsOf(runChain, false), { ended: false })).toEqual([]);
    expect(compareWithAnchors(runChain, anchorsOf(runChain, true), { ended: true })).toEqual([]);
    expect(latestAnchor(anchorsOf(runChain, true))).toMatchObject({ seq: 2, ended: true, head: chainHead(runChain.links), sealed: 3 });
    expect(anchorOf('run-1', { records: [], links: [] }, at, false)).toBeUndefined();
  });

  it('catches a tail cut, a reopened run, a seal after the end and a rewritten chain, each once', () => {
    const runChain = twoSeals();
    const anchors = anchorsOf(runChain, true);
    const kindsOf = (chain: RunChain, ended: boolean) => compareWithAnchors(chain, anchors, { ended }).map((b) => `${b.kind}:${b.link}`);
    expect(kindsOf({ ...runChain, links: runChain.links.slice(0, 1) }, true)).toEqual(['anchor-beyond-table:2']);
    expect(kindsOf(runChain, false)).toEqual(['reopened:2']);
    const extended = { ...runChain, records: [...runChain.records, recordAt(4, 'd')] };
    expect(kindsOf({ ...extended, links: [...extended.links, nextLink(extended, 'run-1', at)!] }, true)).toEqual(['sealed-after-end:3']);
    // Rewritten consistently: the same records' chain made again from a changed first record.
    const rewritten = { records: [recordAt(1, 'a', { userId: 'mallory' }), ...runChain.records.slice(1)], links: [] as AuditLink[] };
    expect(kindsOf({ ...rewritten, links: [nextLink(rewritten, 'run-1', at)!] }, true)).toEqual([
      'anchor-mismatch:1',
      'anchor-beyond-table:2',
    ]);
  });
});
