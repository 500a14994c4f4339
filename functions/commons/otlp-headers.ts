import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as FunctionEnv from './env/function-env.ts';

/** `name=value` pairs separated by commas: the format of OTEL_EXPORTER_OTLP_HEADERS (values may be percent-encoded). */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+=[^,\s][^,]*(?:,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+=[^,\s][^,]*)*$/;

/**
 * The headers a traced function sends its spans to the collector with (an API key for a hosted
 * backend), read once at cold start from Secrets Manager (`OTLP_HEADERS_SECRET_ARN`), so the key
 * is never in the function's configuration. Tracing is not a guard: a secret not filled in yet, not
 * a header list, or not readable leaves the spans without headers and says so through `warn`
 * (never with the value); the function itself starts either way.
 */
export const loadOtlpHeaders = async (
  env: NodeJS.ProcessEnv = process.env,
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
  warn: (message: string) => void = (message) => console.warn(message),
): Promise<string | undefined> => {
  const arn = FunctionEnv.OTLP_HEADERS_SECRET_ARN.read(env);
  if (!arn) return undefined;
  let value: string;
  try {
    value = ((await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '').trim();
  } catch (error) {
    warn(`Spans go to the collector without headers: secret ${arn} could not be read (${error instanceof Error ? error.name : 'Error'}).`);
    return undefined;
  }
  if (!HEADER_LIST.test(value)) {
    warn(
      `Spans go to the collector without headers: secret ${arn} is not filled in yet, or not a header list (name=value pairs separated by commas, e.g. x-api-key=...). Its value is not shown.`,
    );
    return undefined;
  }
  return value;
};
