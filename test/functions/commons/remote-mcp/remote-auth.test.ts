import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteHeaders } from '#functions/commons/remote-mcp/remote-auth.ts';
import { RemoteServerError } from '#shared/remote-mcp/index.ts';
import { embeddedClientConfig } from '../../../../infra/local/embedded-aws.ts';
import { localSecretArn, startEmbeddedSecrets } from '../../../../infra/local/embedded-secrets.ts';

// Read through the real SDK client from the embedded Secrets Manager (GetSecretValue in the API reference's shapes).
const SECRET_VALUE = 'sk-live-0123456789abcdef';
let secrets: Awaited<ReturnType<typeof startEmbeddedSecrets>>;
let client: SecretsManagerClient;
beforeAll(async () => {
  secrets = await startEmbeddedSecrets({
    bearer: JSON.stringify({ bearerToken: SECRET_VALUE }),
    headers: JSON.stringify({ headers: { 'x-api-key': SECRET_VALUE } }),
    unfilled: '',
    'not-json': SECRET_VALUE,
    'wrong-shape': JSON.stringify({ token: SECRET_VALUE }),
    'owned-header': JSON.stringify({ headers: { 'mcp-session-id': SECRET_VALUE } }),
  });
  client = new SecretsManagerClient({ ...embeddedClientConfig(secrets.endpoint), maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await secrets?.stop();
});

describe('remoteHeaders', () => {
  it('makes a bearer token an Authorization header', async () => {
    expect(await remoteHeaders(client, 'bearer')).toEqual({ authorization: `Bearer ${SECRET_VALUE}` });
  });

  it('passes headers under the names the server wants, by name or by ARN', async () => {
    expect(await remoteHeaders(client, 'headers')).toEqual({ 'x-api-key': SECRET_VALUE });
    expect(await remoteHeaders(client, localSecretArn('headers'))).toEqual({ 'x-api-key': SECRET_VALUE });
  });

  it.each(['unfilled', 'not-json', 'wrong-shape', 'owned-header'])(
    'fails closed on a secret filled in wrongly (%s), without its value',
    async (name) => {
      const error = (await remoteHeaders(client, name).catch((e: unknown) => e)) as RemoteServerError;
      expect(error).toBeInstanceOf(RemoteServerError);
      expect(error.message).toContain(`secret ${name}`);
      expect(JSON.stringify({ message: error.message, suggestion: error.suggestion })).not.toContain(SECRET_VALUE);
    },
  );

  it('fails closed on a secret that is not there, as Secrets Manager says', async () => {
    const error = (await remoteHeaders(client, 'missing').catch((e: unknown) => e)) as RemoteServerError;
    expect(error).toBeInstanceOf(RemoteServerError);
    expect((error.cause as Error).name).toBe('ResourceNotFoundException');
  });
});
