import { describe, expect, it } from 'vitest';
import { verifyChain } from '#shared/audit/audit-chain.ts';
import { buildAuditRecord } from '#shared/audit/audit-record.ts';
import { DynamoDbAuditStore } from '#shared/audit/dynamodb-audit-store.ts';
import { CallStatus } from '#shared/tool-result/index.ts';
import { useGuardWorld } from '../../support/guard-world.ts';

const world = useGuardWorld();
let runs = 0;
const record = (runId: string, i: number) =>
  buildAuditRecord({
    runId,
    callId: `c1-${i}`,
    attemptId: `attempt-${i}`,
    tool: 'lookup_order',
    userId: 'ann',
    status: CallStatus.EXECUTED,
    startedAt: Date.parse('2026-11-30T12:00:00Z') + i,
    endedAt: Date.parse('2026-11-30T12:00:00Z') + i + 5,
    arguments: { orderId: `ORD-10000${i}` },
    result: { ok: true },
  });

describe('DynamoDbAuditStore.seal', () => {
  it('extends the chain once when sealers race: one seal holds the records, the others write nothing', async () => {
    const store = new DynamoDbAuditStore({ client: world.db.client, tableName: world.tables.audit });
    const runId = `run-seal-${process.pid}-${++runs}`;
    await Promise.all([1, 2, 3].map((i) => store.put(record(runId, i))));
    const sealed = await Promise.all(Array.from({ length: 5 }, () => store.seal(runId)));
    expect(sealed.filter(Boolean)).toHaveLength(1);
    expect(sealed.find(Boolean)?.entries).toHaveLength(3);
    // Seals are not records: the run's list and its chain agree.
    expect(await store.listByRun(runId)).toHaveLength(3);
    await store.put(record(runId, 4));
    expect((await store.seal(runId))?.seq).toBe(2);
    expect(await store.seal(runId)).toBeUndefined();
    expect(verifyChain(await store.readChain(runId), { ended: true })).toMatchObject({ intact: true, records: 4, sealed: 4, links: 2 });
    // sealChain answers the chain it leaves, as a fresh read would see it.
    await store.put(record(runId, 5));
    const answered = await store.sealChain(runId);
    expect(answered).toEqual(await store.readChain(runId));
    expect(verifyChain(answered, { ended: true })).toMatchObject({ intact: true, records: 5, sealed: 5, links: 3 });
  });
});
