import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import { RemoteServerError } from '../../../shared/remote-mcp/index.ts';

/** Header names a secret may set: tokens, not what the transport itself owns (content type, session, protocol version). */
const HEADER_NAME = /^(?!(content-type|content-length|host|accept|mcp-session-id|mcp-protocol-version)$)[a-z0-9-]{1,64}$/i;

/** The secret's JSON: a bearer token, or headers (an API key under a name of the server's choosing). */
const secretSchema = z.union([
  z.strictObject({ bearerToken: z.string().check(z.minLength(8), z.maxLength(8192)) }),
  z.strictObject({
    headers: z.record(z.string().check(z.regex(HEADER_NAME)), z.string().check(z.minLength(1), z.maxLength(8192))),
  }),
]);

/** The shape a remote server's secret is filled in with, as the README shows it. */
export const REMOTE_SECRET_SHAPE = '{ "bearerToken": "..." } or { "headers": { "x-api-key": "..." } }';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * The headers a remote MCP server is called with, from its credentials' text (`REMOTE_SECRET_SHAPE`),
 * or undefined when the text is not filled in that way (the caller says where it came from; the
 * value itself is never echoed).
 */
export const headersFromCredentials = (text: string): Record<string, string> | undefined => {
  const parsed = z.safeParse(secretSchema, parseJson(text));
  if (!parsed.success) return undefined;
  return 'bearerToken' in parsed.data ? { authorization: `Bearer ${parsed.data.bearerToken}` } : { ...parsed.data.headers };
};

/**
 * The headers a remote MCP server is called with, from its Secrets Manager secret (by name or ARN).
 * Fails closed: a secret that cannot be read, or is not filled in as `REMOTE_SECRET_SHAPE`, fails the
 * call with the secret's name and what is wrong, never its value; nothing is sent without them.
 */
export const remoteHeaders = async (secrets: Pick<SecretsManagerClient, 'send'>, secret: string): Promise<Record<string, string>> => {
  let text: string;
  try {
    text = (await secrets.send(new GetSecretValueCommand({ SecretId: secret }))).SecretString ?? '';
  } catch (error) {
    throw new RemoteServerError(`The remote server's credentials (secret ${secret}) could not be read.`, { cause: error });
  }
  const headers = headersFromCredentials(text);
  if (!headers)
    throw new RemoteServerError(
      `The remote server's credentials (secret ${secret}) are not filled in as ${REMOTE_SECRET_SHAPE}; its value is not shown.`,
      { retryable: false },
    );
  return headers;
};
