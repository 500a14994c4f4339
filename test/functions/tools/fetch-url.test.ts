import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoWorld, type DemoWorld } from '../../support/demo-harness.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

// The internet cannot be reached here: a stand-in answers with real Response objects, and records what was asked.
const requested: string[] = [];
const pages: Record<string, () => Response> = {
  'https://example.com/hello': () => new Response('<h1>Hello</h1>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
  'https://example.com/moved': () => new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }),
  'https://example.com/image': () => new Response(new Uint8Array([0x89, 0x50]), { headers: { 'content-type': 'image/png' } }),
  'https://example.com/huge': () =>
    new Response(
      new ReadableStream({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode('y'.repeat(65_536)));
        },
      }),
      { headers: { 'content-type': 'text/plain' } },
    ),
};
const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = String(input);
  requested.push(url);
  if (url === 'https://example.com/slow') {
    return new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
  }
  const page = pages[url];
  return page ? page() : new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
}) as typeof fetch;

let world: DemoWorld;
beforeAll(async () => {
  world = await startDemoWorld({ fetch: fakeFetch });
});
afterAll(async () => world.stop());

const call = (url: unknown, context = lambdaContext()) => world.tools.fetch_url!.call({ url }, { groups: ['user'], context });

describe('fetch_url', () => {
  it('fetches an allowlisted https page and returns status, type and text', async () => {
    expect(await call('https://example.com/hello')).toEqual({
      ok: true,
      data: { url: 'https://example.com/hello', status: 200, contentType: 'text/html', text: '<h1>Hello</h1>', truncated: false },
    });
  });

  it('does not follow redirects', async () => {
    expect(await call('https://example.com/moved')).toMatchObject({
      ok: false,
      error: { code: 'TOOL_FAILED', message: expect.stringContaining('redirect') },
    });
    expect(requested).not.toContain('http://169.254.169.254/latest/meta-data/');
  });

  it('refuses non-text content and caps the bytes read from an endless body', async () => {
    expect(await call('https://example.com/image')).toMatchObject({ ok: false, error: { code: 'TOOL_FAILED' } });
    const huge = await call('https://example.com/huge');
    expect(huge).toMatchObject({ ok: true, data: { truncated: true } });
    expect((huge as { data: { text: string } }).data.text.length).toBe(16_384);
  });

  it('never sends a request for a refused URL', async () => {
    const before = requested.length;
    for (const url of [
      'http://example.com/hello',
      'https://169.254.169.254/latest/meta-data/',
      'https://localhost/',
      'https://example.com.evil.net/',
      'https://a@example.com/',
      'file:///etc/passwd',
    ]) {
      expect(await call(url)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
    expect(requested.length).toBe(before);
  });

  it('aborts a slow fetch before the Lambda itself would time out', async () => {
    // 1.5 s left in the Lambda, 1 s kept back for the guards: the handler gets 0.5 s, not its 5 s.
    // The budget is read from the result, not from a clock: a busy machine must not fail this.
    const result = await call('https://example.com/slow', lambdaContext(1500));
    expect(result).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    const budgetMs = Number(/within (\d+) ms/.exec(JSON.stringify(result))?.[1]);
    expect(budgetMs).toBeGreaterThan(0);
    expect(budgetMs).toBeLessThanOrEqual(500);
  });
});
