import { describe, expect, it } from 'vitest';
import { isSecretKey, passesLuhn } from '#shared/redaction/patterns.ts';
import { REDACTED, redact, redactString } from '#shared/redaction/redact.ts';

// Real-looking samples. None is a live secret: AWS's documented example keys, a JWT signed with
// "secret", Stripe/Visa test card numbers, a throwaway PEM header.
const AWS_ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const CARD = '4242 4242 4242 4242';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq0\n-----END RSA PRIVATE KEY-----';

describe('redact', () => {
  it('replaces values under secret-named keys, at any depth and in any spelling', () => {
    const out = redact({
      password: 'hunter2',
      nested: {
        apiKey: 'k-1',
        'x-api-key': 'k-2',
        API_KEY: 'k-3',
        Authorization: 'Basic Zm9vOmJhcg==',
        session_token: 't',
        cookie: 'sid=1',
      },
      list: [{ creditCardNumber: '1' }, { ssn: '078-05-1120' }, { clientSecret: 's' }],
    });
    expect(JSON.stringify(out)).not.toMatch(/hunter2|k-1|k-2|k-3|Zm9v|sid=1|078-05/);
    expect(out).toMatchObject({ password: REDACTED, nested: { apiKey: REDACTED, Authorization: REDACTED } });
  });

  it('keeps ordinary keys that merely contain a secret word', () => {
    expect(redact({ author: 'Ann', shipping: 'fast', businessName: 'ACME', tokensUsed: 3 })).toEqual({
      author: 'Ann',
      shipping: 'fast',
      businessName: 'ACME',
      tokensUsed: REDACTED,
    });
  });

  it('masks secret-looking values anywhere in strings', () => {
    const text = `key ${AWS_ACCESS_KEY} secret ${AWS_SECRET_KEY} jwt ${JWT} auth Bearer abcdefghijklmnop card ${CARD} pem ${PEM} slack xoxb-1234567890-abcdef`;
    const out = redactString(text);
    for (const secret of [AWS_ACCESS_KEY, AWS_SECRET_KEY, JWT, 'abcdefghijklmnop', CARD, 'MIIEowIBAAKCAQEA7bq0', 'xoxb-1234567890'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED:aws-access-key]');
    expect(out).toContain('[REDACTED:jwt]');
    expect(out).toContain('[REDACTED:card]');
    expect(out).toContain('[REDACTED:private-key]');
  });

  it('leaves numbers that fail Luhn and ordinary ids alone', () => {
    expect(redactString('order ORD-104233 ref 1234 5678 9012 3456')).toBe('order ORD-104233 ref 1234 5678 9012 3456');
  });

  it('redacts before cutting long strings, so a cut cannot expose part of a secret', () => {
    const out = redact(`${'x'.repeat(500)} ${JWT}`, { maxString: 520 }) as string;
    expect(out).not.toContain('eyJhbGciOiJIUzI1NiIs');
  });

  it('bounds size and depth, survives cycles, and returns a copy', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    const deep = JSON.parse('['.repeat(50) + ']'.repeat(50));
    expect(JSON.stringify(redact(deep))).toContain('[Truncated]');
    expect((redact(Array.from({ length: 100 }, (_, i) => i)) as unknown[]).length).toBe(51);
    const input = { note: 'x' };
    expect(redact(input)).not.toBe(input);
  });
});

describe('isSecretKey / passesLuhn', () => {
  it('match words, not substrings', () => {
    expect(isSecretKey('db_password')).toBe(true);
    expect(isSecretKey('privateKey')).toBe(true);
    expect(isSecretKey('authorName')).toBe(false);
  });
  it('checks card numbers', () => {
    expect(passesLuhn('4242424242424242')).toBe(true);
    expect(passesLuhn('4242424242424241')).toBe(false);
  });
});

describe('collectSecretValues', () => {
  it('finds values under secret-named keys at any depth, so they can be masked where they reappear', async () => {
    const { collectSecretValues } = await import('#shared/redaction/redact.ts');
    const secrets = collectSecretValues({ user: 'ann', auth: { password: 'pw-123456', list: [{ apiKey: 'k-abcdef' }] }, note: 'x' });
    expect(secrets.sort()).toEqual(['k-abcdef', 'pw-123456']);
    expect(redact({ echo: 'your pw-123456' }, { knownSecrets: secrets })).toEqual({ echo: `your ${REDACTED}` });
  });
});

describe('secrets inside URLs and API keys', () => {
  it.each([
    // S3 presigned URL (SigV4 query parameters).
    [
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
      ['aeeed9bbccd4', 'AKIAIOSFODNN7EXAMPLE'],
      ['X-Amz-Expires=86400', 'examplebucket'],
    ],
    // Azure SAS token.
    [
      'https://myaccount.blob.core.windows.net/c/b.txt?sv=2019-02-02&st=2019-04-29T22%3A18%3A26Z&sr=b&sp=rw&sig=GsF%2BrE4ejhGiPcJnmLiuXH%2FOEFWn3ZxyjM7F6Jt8rKs%3D',
      ['GsF%2BrE4ejhGi'],
      ['sv=2019-02-02'],
    ],
    // API keys and tokens in the query.
    [
      'https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY',
      ['AIzaSyD-9tSrke72'],
      ['address=Paris'],
    ],
    [
      'https://api.example.com/v1/items?page=2&access_token=ya29.a0AfH6SMBx3jdkEXAMPLE&api_key=abc123secretvalue',
      ['ya29.a0AfH6', 'abc123secretvalue'],
      ['page=2'],
    ],
    ['https://hooks.example.com/cb?code=4%2F0AX4XfWh-EXAMPLE-authorization-code&state=xyz', ['4%2F0AX4XfWh'], ['state=xyz']],
    // A password before the host.
    ['postgres://app:Sup3r-S3cret-pw@db.internal:5432/orders', ['Sup3r-S3cret-pw'], ['app:', 'db.internal:5432']],
  ])('masks the secret of %s and keeps the rest', (url, secrets, kept) => {
    const out = redactString(`see ${url} now`);
    for (const secret of secrets) expect(out).not.toContain(secret);
    for (const part of kept) expect(out).toContain(part);
  });

  it.each([
    'sk-proj-4Xk2J9hVbL0mN7qR1sT3uV5wX7yZ9aB1cD3eF5gH7iJ9kL1mN3oP5qR7sT9uV1w',
    'sk-ant-api03-R2D2c3poEXAMPLEkeyvalue0123456789abcdefABCDEF-xyzAA',
    'sk-1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJ',
    'sk_live_51H8xyzEXAMPLEabcdefghijklmnop',
    'ghp_1234567890abcdefghijklmnopqrstuvwxyzAB',
    'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789',
  ])('masks the API key %s wherever it stands', (key) => {
    expect(redactString(`key is ${key}.`)).not.toContain(key.slice(8));
    expect(redact({ note: `Authorization failed for ${key}` })).not.toMatchObject({ note: expect.stringContaining(key.slice(8)) });
  });

  it('leaves ordinary text and URLs alone', () => {
    for (const text of [
      'https://example.com/search?q=desk+lamp&page=2',
      'task-force meeting at 10',
      'sku-12345 is out of stock',
      'risk-free',
    ]) {
      expect(redactString(text)).toBe(text);
    }
  });
});
