import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';
import * as FunctionEnv from './env/function-env.ts';

const secretSchema = z.strictObject({ signingSecret: z.string().check(z.minLength(8)), botToken: z.string().check(z.regex(/^xoxb-/)) });

/** The shape the stack creates the secret in: both fields empty until the deployer fills them in. */
export const UNFILLED_SLACK_SECRET = { signingSecret: '', botToken: '' } as const;

export interface SlackConfig {
  readonly signingSecret: string;
  readonly botToken: string;
  readonly channel: string;
}

/** Parses the secret's text; `undefined` when it is not JSON (the value itself is never echoed). */
const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

const isUnfilled = (value: unknown): boolean =>
  value === undefined || (typeof value === 'object' && value !== null && Object.values(value).every((v) => v === ''));

/**
 * Slack settings, read once at cold start: the signing secret and bot token from Secrets Manager
 * (`SLACK_SECRET_ARN`, a JSON `{ signingSecret, botToken }`), the channel from the environment.
 * Who decides is not configured here: Slack users are resolved to their Cognito identity when they click. Slack is off, and approvals go through the API only, when
 * `SLACK_SECRET_ARN` is absent or the secret is still unfilled (as the stack creates it): a
 * function must not fail every route, `/health` included, because Slack is not set up yet.
 * A secret filled in wrongly is reported through `warn` by which field is wrong, never by its value.
 */
export const loadSlackConfig = async (
  env: NodeJS.ProcessEnv = process.env,
  client = new SecretsManagerClient({}),
  warn: (message: string) => void = (message) => console.warn(message),
): Promise<SlackConfig | undefined> => {
  const arn = FunctionEnv.SLACK_SECRET_ARN.read(env);
  if (!arn) return undefined;
  const value = parseJson((await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '');
  if (isUnfilled(value)) {
    warn(
      `Slack is off: secret ${arn} is not filled in yet (JSON { "signingSecret": "...", "botToken": "xoxb-..." }). Approvals work over the API.`,
    );
    return undefined;
  }
  const parsed = z.safeParse(secretSchema, value);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? issue.code)))].join(', ');
    warn(
      `Slack is off: secret ${arn} must be JSON { signingSecret (8+ characters), botToken (xoxb-...) }; wrong or missing: ${fields}. Approvals work over the API.`,
    );
    return undefined;
  }
  return { ...parsed.data, channel: FunctionEnv.SLACK_CHANNEL.read(env) };
};
