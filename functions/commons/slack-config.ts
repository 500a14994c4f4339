import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';

const secretSchema = z.strictObject({ signingSecret: z.string().check(z.minLength(8)), botToken: z.string().check(z.regex(/^xoxb-/)) });
const approversSchema = z.record(z.string().check(z.regex(/^[UW][A-Z0-9]{2,30}$/)), z.strictObject({ userId: z.string().check(z.maxLength(128)), groups: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(16)) }));

export interface SlackConfig {
  readonly signingSecret: string;
  readonly botToken: string;
  readonly channel: string;
  /** Slack user id -> the identity that decides (only members of the approver group may). */
  readonly approvers: z.output<typeof approversSchema>;
}

/**
 * Slack settings, read once at cold start: the signing secret and bot token from Secrets Manager
 * (`SLACK_SECRET_ARN`, a JSON `{ signingSecret, botToken }`), the channel and the approver map
 * from the environment. Absent `SLACK_SECRET_ARN`: Slack is off and approvals go through the API.
 */
export const loadSlackConfig = async (env: NodeJS.ProcessEnv = process.env, client = new SecretsManagerClient({})): Promise<SlackConfig | undefined> => {
  const arn = env.SLACK_SECRET_ARN;
  if (!arn) return undefined;
  const secret = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '';
  const parsed = z.safeParse(secretSchema, JSON.parse(secret || '{}'));
  // The secret's content never goes into the error: only which part is wrong.
  if (!parsed.success) throw new Error(`Slack secret ${arn} must be JSON { signingSecret, botToken (xoxb-...) }`);
  const approvers = z.safeParse(approversSchema, JSON.parse(env.SLACK_APPROVERS ?? '{}'));
  if (!approvers.success) throw new Error('SLACK_APPROVERS must be JSON { "<Slack user id>": { "userId", "groups": [...] } }');
  return { ...parsed.data, channel: env.SLACK_CHANNEL ?? '', approvers: approvers.data };
};
