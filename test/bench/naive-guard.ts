import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import type { Context } from 'aws-lambda';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import { redact } from '#shared/redaction/index.ts';
import type { AnyTool } from '#shared/tool/index.ts';
import type { GuardTables } from '#shared/pipeline/index.ts';

/**
 * The baseline the benchmark compares against: the same checks written the common way, each a
 * read and a write (read-modify-write buckets, get-then-put idempotency, a breaker read and its
 * outcome written back),
 * one after another. Not safe under concurrency either; it exists only to be measured.
 */
export const naiveGuard = (tool: AnyTool, deps: unknown, client: DynamoDBClient, tables: GuardTables) => {
  const get = (table: string, key: Record<string, string>) =>
    client.send(
      new GetItemCommand({
        TableName: table,
        Key: Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }])),
        ConsistentRead: true,
      }),
    );
  const put = (table: string, item: Record<string, string | number>) =>
    client.send(
      new PutItemCommand({
        TableName: table,
        Item: Object.fromEntries(Object.entries(item).map(([k, v]) => [k, typeof v === 'number' ? { N: String(v) } : { S: v }])),
      }),
    );
  const bucket = async (key: string, capacity: number, intervalMs: number) => {
    const now = Date.now();
    const item = (await get(tables.guard, { pk: key })).Item;
    const tokens = Math.min(capacity, Number(item?.tokens?.N ?? capacity) + (now - Number(item?.at?.N ?? now)) / intervalMs);
    if (tokens < 1) throw new Error('rate limited');
    await put(tables.guard, { pk: key, tokens: tokens - 1, at: now });
  };
  return async (
    event: { runId: string; callId: string; caller: { userId: string; groups: string[] }; arguments: unknown },
    _context: Context,
  ) => {
    const started = Date.now();
    const args = z.parse(tool.input, event.arguments);
    if (!event.caller.groups.some((g) => (tool.roles as readonly string[]).includes(g))) throw new Error('denied');
    const key = `${tool.name}#${event.runId}#${event.callId}`;
    const existing = (await get(tables.idempotency, { id: key })).Item;
    if (existing?.result?.S) return JSON.parse(existing.result.S);
    await put(tables.idempotency, { id: key, status: 'INPROGRESS', argsHash: hashCanonical(event.arguments) });
    await bucket(
      `user#${event.caller.userId}#tool#${tool.name}`,
      tool.limits.perUser.capacity,
      60_000 / tool.limits.perUser.refillPerMinute,
    );
    await bucket(`tool#${tool.name}`, tool.limits.perTool.capacity, 60_000 / tool.limits.perTool.refillPerMinute);
    const breaker = (await get(tables.guard, { pk: `breaker#${tool.name}` })).Item;
    if (breaker?.state?.S === 'OPEN') throw new Error('open');
    const data = await tool.handler(args, {
      runId: event.runId,
      callId: event.callId,
      caller: event.caller,
      signal: new AbortController().signal,
      deps,
    });
    await put(tables.guard, { pk: `breaker#${tool.name}`, state: 'CLOSED', failures: 0, at: Date.now() });
    const result = { ok: true, data };
    await put(tables.idempotency, { id: key, status: 'COMPLETED', result: JSON.stringify(result) });
    await put(tables.audit, {
      runId: event.runId,
      sk: `${started}#${event.callId}`,
      record: JSON.stringify(redact({ args: event.arguments, result })),
    });
    return result;
  };
};
