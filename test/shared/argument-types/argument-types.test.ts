import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { allowlistedUrl, boundedInt, boundedText, emailAddress, identifier, safeRelativePath } from '#shared/argument-types/index.ts';

const ok = (schema: z.ZodMiniType, value: unknown) =>
  expect(z.safeParse(schema, value).success, `${JSON.stringify(value)} should pass`).toBe(true);
const bad = (schema: z.ZodMiniType, value: unknown) =>
  expect(z.safeParse(schema, value).success, `${JSON.stringify(value)} should fail`).toBe(false);

describe('safeRelativePath', () => {
  const path = safeRelativePath({ description: 'A document path for the tests, relative.' });
  it('accepts plain relative paths', () => {
    for (const p of ['policies/leave-policy.md', 'a.txt', 'guides/2026/q4_plan.v2.md']) ok(path, p);
  });
  it('rejects traversal in every spelling', () => {
    for (const p of [
      '../etc/passwd',
      'policies/../../etc/passwd',
      '..',
      'a/..',
      '/etc/passwd',
      'C:/Windows/win.ini',
      '~/secrets',
      'a\\..\\b',
      '..\\..\\windows',
      'a/./b',
      'a//b',
      '',
      'a/b/',
      '%2e%2e/etc',
      '..%2fetc',
      '%252e%252e%252f',
      'a%00.md',
      'a\u0000.md',
      'a\u202e.md',
      'a\u200b.md',
      '．．／etc',
      'a/.hidden',
      '-rf',
      'a\nb',
      'x'.repeat(257),
    ])
      bad(path, p);
  });
  it('rejects non-strings', () => {
    for (const p of [null, 42, ['a'], { path: 'a' }]) bad(path, p);
  });
});

describe('allowlistedUrl', () => {
  const url = allowlistedUrl({ description: 'An allowlisted URL for the tests.', hosts: ['docs.example.com'] });
  it('accepts https URLs on an allowlisted host', () => {
    for (const u of [
      'https://docs.example.com/',
      'https://docs.example.com/a/b?q=1#x',
      'https://DOCS.example.com/x',
      'https://docs.example.com:443/x',
    ])
      ok(url, u);
  });
  it('rejects other hosts, schemes, IP literals in every notation, user info and ports', () => {
    for (const u of [
      'http://docs.example.com/',
      'ftp://docs.example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'gopher://docs.example.com',
      'https://evil.example.com/',
      'https://docs.example.com.evil.com/',
      'https://docs.example.com./',
      'https://example.com/',
      'https://169.254.169.254/latest/meta-data/',
      'https://127.0.0.1/',
      'https://2130706433/',
      'https://0x7f000001/',
      'https://0177.0.0.1/',
      'https://127.1/',
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[fd00:ec2::254]/',
      'https://user:pass@docs.example.com/',
      'https://docs.example.com@evil.com/',
      'https://@docs.example.com/',
      'https://docs.example.com:8443/',
      'https://docs.example.com\\@evil.com/',
      ' https://docs.example.com/',
      'https://docs.example.com/\u202e',
      '//docs.example.com/',
      'docs.example.com',
      `https://docs.example.com/${'a'.repeat(2100)}`,
    ])
      bad(url, u);
  });
  it('refuses an allowlist entry that is an IP literal or not lower-case', () => {
    expect(() => allowlistedUrl({ description: 'x', hosts: ['127.0.0.1'] })).toThrow(/IP literal/);
    expect(() => allowlistedUrl({ description: 'x', hosts: ['Docs.example.com'] })).toThrow(/lower-case/);
  });
});

describe('boundedText', () => {
  const line = boundedText({ description: 'One line of text for tests.', max: 10 });
  const body = boundedText({ description: 'Multi-line text for tests.', max: 50, multiline: true });
  it('accepts ordinary text, and newline and tab only where allowed', () => {
    ok(line, 'hello');
    ok(line, 'héllo wörd');
    ok(body, 'line one\n\tline two');
    bad(line, 'a\nb');
    bad(line, 'a\tb');
  });
  it('rejects control and invisible format characters', () => {
    for (const ch of [
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u00ad',
      '\u200b',
      '\u200d',
      '\u2060',
      '\u202e',
      '\u2066',
      '\ufeff',
      '\u{e0041}',
      '\u2028',
      '\ud800',
    ]) {
      bad(body, `a${ch}b`);
    }
  });
  it('applies the length cap before any pattern runs', () => {
    const result = z.safeParse(line, `${'\u200b'.repeat(5000)}`);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toHaveLength(1);
    expect(result.error?.issues[0]?.code).toBe('too_big');
  });
  it('rejects empty text and non-strings', () => {
    for (const v of ['', null, 5, ['a'], { a: 1 }]) bad(line, v);
  });
});

describe('identifier', () => {
  const orderId = identifier({ description: 'Order id for tests.', pattern: /^ORD-\d{6}$/, max: 10, example: 'ORD-123456' });
  it('accepts exactly the pattern', () => ok(orderId, 'ORD-123456'));
  it('rejects injection strings, wildcards and near misses', () => {
    for (const v of [
      "ORD-123456' OR '1'='1",
      'ORD-123456; rm -rf /',
      'ORD-*',
      'ord-123456',
      ' ORD-123456',
      'ORD-123456\n',
      'ORD-１２３４５６',
      'ORD-1234567',
      '$(id)',
      '{"$ne":null}',
    ])
      bad(orderId, v);
  });
  it('refuses an unanchored pattern at declaration', () => {
    expect(() => identifier({ description: 'x', pattern: /ORD-\d+/, max: 10, example: 'ORD-1' })).toThrow(/anchored/);
  });
});

describe('boundedInt and emailAddress', () => {
  const n = boundedInt({ description: 'A count for tests.', min: 1, max: 10 });
  it('accepts finite integers in range only', () => {
    ok(n, 5);
    for (const v of [0, 11, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '5', null, 2 ** 60]) bad(n, v);
  });
  const email = emailAddress({ description: 'An address for tests.' });
  it('accepts plain addresses only', () => {
    ok(email, 'jane.doe+ops@example.com');
    for (const v of [
      'jane',
      'jane@localhost',
      'a@b.c\nBcc: x@y.z',
      '"a b"@example.com',
      'jane@[127.0.0.1]',
      `${'a'.repeat(250)}@example.com`,
    ])
      bad(email, v);
  });
});
