import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '#functions/commons/document-store/s3-document-store.ts';
import { startDemoWorld, type DemoWorld } from '../../support/demo-harness.ts';

let world: DemoWorld;
beforeAll(async () => {
  world = await startDemoWorld();
});
afterAll(async () => world.stop());

const asUser = { groups: ['user'], userId: 'uma' };

describe('search_knowledge_base', () => {
  it('returns the top 5 articles with title, snippet and url', async () => {
    const result = await world.tools.search_knowledge_base!.call({ query: 'how do I return an item for a refund?' }, asUser);
    expect(result.ok).toBe(true);
    const { results } = (result as { data: { results: Array<{ title: string; snippet: string; url: string }> } }).data;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
    expect(results[0]?.title).toBe('Return and refund policy');
    for (const hit of results) {
      expect(hit.url).toMatch(/^https:\/\/kb\.example\.com\/articles\//);
      expect(hit.snippet.length).toBeLessThanOrEqual(162);
    }
  });

  it('returns no results for a query with no matching terms, and treats pattern characters as text', async () => {
    expect(await world.tools.search_knowledge_base!.call({ query: 'zyzzyva' }, asUser)).toEqual({ ok: true, data: { results: [] } });
    expect(await world.tools.search_knowledge_base!.call({ query: '.*(a+)+$ [' }, asUser)).toMatchObject({ ok: true });
  });

  it('rejects empty, oversized and hidden-character queries', async () => {
    for (const query of ['', 'q'.repeat(201), 'refund\u200b policy', 'refund\npolicy']) {
      expect(await world.tools.search_knowledge_base!.call({ query }, asUser)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
  });
});

describe('read_document', () => {
  it('reads a document below the root', async () => {
    const result = await world.tools.read_document!.call({ path: 'policies/leave-policy.md' }, asUser);
    expect(result).toMatchObject({
      ok: true,
      data: { path: 'policies/leave-policy.md', truncated: false, text: expect.stringContaining('28 days') },
    });
  });

  it('declines a missing document without counting it as a failure', async () => {
    expect(await world.tools.read_document!.call({ path: 'policies/nope.md' }, asUser)).toMatchObject({
      ok: false,
      error: { code: 'TOOL_FAILED', retryable: false },
    });
  });

  it('refuses traversal before the handler, and the store refuses an unsafe key again before any request', async () => {
    for (const path of ['../package.json', 'policies/../../x', '/etc/passwd', '..%2f..%2fetc/passwd']) {
      expect(await world.tools.read_document!.call({ path }, asUser)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    // A client that cannot reach anything: the key check throws before a request is made.
    const store = new S3DocumentStore(
      new S3Client({
        endpoint: 'http://127.0.0.1:9',
        region: 'us-east-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        maxAttempts: 1,
      }),
      world.documents.bucket,
    );
    await expect(store.read('../documents-of-another-prefix.md', 10)).rejects.toThrow('unsafe document path reached the store');
    await expect(store.delete('a/../../b.md')).rejects.toThrow('unsafe document path reached the store');
  });

  it('reads a range of a large document (the first 32 KB) and says it was cut', async () => {
    await world.documents.put('big.txt', 'x'.repeat(100_000));
    const result = await world.tools.read_document!.call({ path: 'big.txt' }, asUser);
    expect(result).toMatchObject({ ok: true, data: { bytes: 100_000, truncated: true } });
    expect((result as { data: { text: string } }).data.text).toHaveLength(32 * 1024);
  });
});

describe('lookup_order', () => {
  it('returns a seeded order', async () => {
    expect(await world.tools.lookup_order!.call({ orderId: 'ORD-104230' }, asUser)).toMatchObject({
      ok: true,
      data: { orderId: 'ORD-104230', status: 'PLACED', currency: 'EUR' },
    });
  });
  it('declines an unknown order and rejects malformed ids before any read', async () => {
    expect(await world.tools.lookup_order!.call({ orderId: 'ORD-999999' }, asUser)).toMatchObject({
      ok: false,
      error: { code: 'TOOL_FAILED' },
    });
    for (const orderId of ["ORD-104230' OR 1=1 --", 'ORD-1', 104230, null]) {
      expect(await world.tools.lookup_order!.call({ orderId }, asUser)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });
});
