import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalServer } from '../../support/local-server.ts';

// GET /runs over HTTP, as the console and API clients list runs.
const local = useLocalServer();
const api = async (userId: string, path: string, init: { method?: string; body?: unknown } = {}) => {
  const response = await fetch(`${local.base}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${local.tokenOf(userId)}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
type Listed = {
  runId: string;
  status: string;
  userId: string;
  startedAt: string;
  iterations: number;
  input: string;
  calls: number;
  tools: string[];
};
const started: Record<string, string[]> = { uma: [], olga: [] };

beforeAll(async () => {
  // Three runs of uma's and two of olga's, one at a time so that their start times are in order.
  for (const [userId, input] of [
    ['uma', 'first'],
    ['olga', 'second'],
    ['uma', 'third'],
    ['olga', 'fourth'],
    ['uma', 'fifth'],
  ] as const) {
    const { body } = await api(userId, '/runs', {
      method: 'POST',
      body: { input, model: { provider: 'scripted', turns: [{ text: `answer to ${input}` }] } },
    });
    started[userId]?.push(String(body.runId));
    await new Promise((r) => setTimeout(r, 5));
  }
  // Each ends at once (a scripted answer): wait for the state asserted on below.
  for (const runId of [...(started.uma ?? []), ...(started.olga ?? [])])
    for (let i = 0; i < 400 && (await api('adam', `/runs/${runId}`)).body.status !== 'SUCCEEDED'; i++)
      await new Promise((r) => setTimeout(r, 10));
});

describe('GET /runs', () => {
  it('lists a caller’s own runs, newest first, with what tells them apart', async () => {
    const { status, body } = await api('uma', '/runs');
    expect(status).toBe(200);
    const runs = body.runs as Listed[];
    expect(runs.map((r) => r.runId)).toEqual([...(started.uma ?? [])].reverse());
    expect(runs[0]).toMatchObject({ userId: 'uma', status: 'SUCCEEDED', iterations: 1, input: 'fifth' });
    expect(body.nextToken).toBeUndefined();
  });

  it('lists everyone’s for an admin, a page at a time, each run once', async () => {
    const seen: Listed[] = [];
    let token: string | undefined;
    do {
      const { body } = await api('adam', `/runs?limit=2${token ? `&nextToken=${token}` : ''}`);
      expect((body.runs as Listed[]).length).toBeLessThanOrEqual(2);
      seen.push(...(body.runs as Listed[]));
      token = body.nextToken as string | undefined;
    } while (token);
    const ours = seen.filter((r) => [...(started.uma ?? []), ...(started.olga ?? [])].includes(r.runId));
    expect(ours.map((r) => r.input)).toEqual(['fifth', 'fourth', 'third', 'second', 'first']);
    expect(new Set(seen.map((r) => r.runId)).size).toBe(seen.length);
  });

  it('filters by status', async () => {
    expect(((await api('adam', '/runs?status=SUCCEEDED')).body.runs as Listed[]).length).toBeGreaterThanOrEqual(5);
    expect((await api('adam', '/runs?status=FAILED')).body.runs).toEqual([]);
  });

  it('lists one user’s runs for an admin who names them; others may name only themselves', async () => {
    const { body } = await api('adam', '/runs?user=olga');
    expect((body.runs as Listed[]).map((r) => r.input)).toEqual(['fourth', 'second']);
    expect(((await api('olga', '/runs?user=olga')).body.runs as Listed[]).map((r) => r.input)).toEqual(['fourth', 'second']);
    expect(await api('olga', '/runs?user=uma')).toMatchObject({
      status: 403,
      body: { error: { message: "Only admins may list another user's runs." } },
    });
    expect((await api('adam', '/runs?user=not%20a%20user')).status).toBe(400);
    // A page of olga's runs continues in olga's runs only.
    const first = await api('adam', '/runs?user=olga&limit=1');
    expect((await api('adam', `/runs?user=uma&nextToken=${String(first.body.nextToken)}`)).status).toBe(400);
    expect(((await api('adam', `/runs?user=olga&limit=1&nextToken=${String(first.body.nextToken)}`)).body.runs as Listed[])[0]?.input).toBe(
      'second',
    );
  });

  it('filters by the tools a run asked for (declared tools only: a made-up name is not one)', async () => {
    const calls = [
      { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
      { name: 'no_such_tool', arguments: {} },
    ];
    const { body } = await api('uma', '/runs', {
      method: 'POST',
      body: { input: 'with a tool', model: { provider: 'scripted', turns: [{ toolCalls: calls }, { text: 'done' }] } },
    });
    const runId = String(body.runId);
    for (let i = 0; i < 400 && (await api('uma', `/runs/${runId}`)).body.status !== 'SUCCEEDED'; i++)
      await new Promise((r) => setTimeout(r, 10));
    const listed = (await api('uma', '/runs?tool=lookup_order')).body.runs as Listed[];
    expect(listed.map((r) => [r.runId, r.tools])).toEqual([[runId, ['lookup_order']]]);
    // Both calls counted, the refused one too.
    expect(listed[0]?.calls).toBe(2);
    expect((await api('adam', '/runs?tool=send_email')).body.runs).toEqual([]);
    expect((await api('uma', '/runs?tool=Not-A-Tool')).status).toBe(400);
  });

  it('refuses a bad query with 400, and a cursor into someone else’s runs', async () => {
    expect((await api('uma', '/runs?limit=0')).status).toBe(400);
    expect((await api('uma', '/runs?limit=1000')).status).toBe(400);
    expect((await api('uma', '/runs?status=DONE')).status).toBe(400);
    expect((await api('uma', '/runs?nextToken=not-a-token')).status).toBe(400);
    expect((await api('uma', '/runs?extra=1')).status).toBe(400);
    const { body } = await api('olga', '/runs?limit=1');
    expect(body.nextToken).toBeDefined();
    expect(await api('uma', `/runs?nextToken=${String(body.nextToken)}`)).toMatchObject({
      status: 400,
      body: { error: { message: 'nextToken is not valid.' } },
    });
  });
});
