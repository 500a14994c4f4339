import { describe, expect, it } from 'vitest';
import { DynamoDbMcpLabelStore } from '#functions/api/mcp/mcp-label-store.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import { useGuardWorld } from '../../../support/guard-world.ts';

const world = useGuardWorld();
let clock = 1_800_000_000_000;
const labels = (lifetimeSeconds = 60) =>
  new DynamoDbMcpLabelStore({ client: world.db.client, tableName: world.tables.guard, lifetimeSeconds, now: () => clock });
const source = (callId: string) => ({ tool: 'read_document', callId, runId: 'mcp-s1' });

describe('DynamoDbMcpLabelStore', () => {
  it('holds a label from the first untrusted content for its lifetime after the last one', async () => {
    const store = labels(60);
    expect(await store.get('ann')).toBeUndefined();
    await store.mark('ann', source('c1'));
    expect(await store.get('ann')).toMatchObject({ tool: 'read_document', callId: 'c1', runId: 'mcp-s1', expiresAt: clock / 1000 + 60 });
    clock += 50_000;
    // More untrusted content: the first source stays, the label lasts from now.
    await store.mark('ann', source('c2'));
    expect(await store.get('ann')).toMatchObject({ callId: 'c1', expiresAt: clock / 1000 + 60 });
    clock += 59_000;
    expect(await store.get('ann')).toMatchObject({ callId: 'c1' });
    clock += 1_000;
    expect(await store.get('ann')).toBeUndefined();
    // Lapsed (and not yet swept by the TTL): new content starts a new label.
    await store.mark('ann', source('c3'));
    expect(await store.get('ann')).toMatchObject({ callId: 'c3' });
  });

  it('keeps each user to their own label, and clears one, answering what it cleared', async () => {
    const store = labels();
    await store.mark('bea', source('b1'));
    expect(await store.get('cid')).toBeUndefined();
    expect(await store.clear('cid')).toBeUndefined();
    expect(await store.clear('bea')).toMatchObject({ callId: 'b1' });
    expect(await store.get('bea')).toBeUndefined();
  });

  it('fails closed when its table cannot be reached, and refuses a lifetime that is not whole seconds', async () => {
    const broken = new DynamoDbMcpLabelStore({ client: world.db.client, tableName: 'no-such-table' });
    await expect(broken.get('ann')).rejects.toBeInstanceOf(GuardUnavailableError);
    await expect(broken.mark('ann', source('x'))).rejects.toBeInstanceOf(GuardUnavailableError);
    expect(() => labels(0.5)).toThrow(/whole number of seconds/);
  });
});
