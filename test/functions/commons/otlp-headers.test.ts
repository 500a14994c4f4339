import { describe, expect, it } from 'vitest';
import { loadOtlpHeaders } from '#functions/commons/otlp-headers.ts';
import recorded from '../../fixtures/secrets-manager/get-secret-value.json' with { type: 'json' };

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:TracingHeaders-a1b2c3';
/** A Secrets Manager client answering GetSecretValue in its documented shape, with this SecretString. */
const secretsWith = (secretString: string) => ({ send: async () => ({ ...recorded, ARN, SecretString: secretString }) }) as never;
const load = async (client: never) => {
  const warnings: string[] = [];
  const headers = await loadOtlpHeaders({ OTLP_HEADERS_SECRET_ARN: ARN }, client, (m) => warnings.push(m));
  return { headers, warnings };
};

describe('loadOtlpHeaders', () => {
  it('is off without OTLP_HEADERS_SECRET_ARN, and asks nothing of Secrets Manager', async () => {
    const asked: unknown[] = [];
    expect(await loadOtlpHeaders({}, { send: async (c: unknown) => asked.push(c) } as never)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('reads a header list as OTEL_EXPORTER_OTLP_HEADERS writes it', async () => {
    expect(await load(secretsWith(' x-api-key=abc123,x-team=support%20desk\n'))).toEqual({
      headers: 'x-api-key=abc123,x-team=support%20desk',
      warnings: [],
    });
  });

  it('sends spans without headers, saying why and never showing the value, when the secret is not a header list', async () => {
    for (const value of ['', 'RaNdOmLyGeNeRaTeDvAlUe', '{"username":"david","password":"EXAMPLE-PASSWORD"}']) {
      const { headers, warnings } = await load(secretsWith(value));
      expect(headers).toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('not filled in yet, or not a header list');
      if (value) expect(warnings[0]).not.toContain(value);
    }
  });

  it('starts anyway when the secret cannot be read (tracing is not a guard), naming only the error', async () => {
    const denied = {
      send: async () => Promise.reject(Object.assign(new Error('User is not authorized: key=abc'), { name: 'AccessDeniedException' })),
    };
    const { headers, warnings } = await load(denied as never);
    expect(headers).toBeUndefined();
    expect(warnings).toEqual([`Spans go to the collector without headers: secret ${ARN} could not be read (AccessDeniedException).`]);
  });
});
