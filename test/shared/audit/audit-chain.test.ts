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
import type { AuditRecord } from '#shared/audit/audit-record.ts';

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
  return { key: `${record.at}#${record.attemptId}`, record, attributes: { tool: record.tool, status: record.status } };
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

  it('counts records written since the last seal of a run still going as pending, not as a break', () => {
    const run = sealedRun();
    const verdict = verifyChain({ ...run, records: [...run.records, recordAt(9, 'a9')] }, { ended: false });
    expect(verdict).toMatchObject({ intact: true, pending: 1, sealed: 4 });
  });
});
