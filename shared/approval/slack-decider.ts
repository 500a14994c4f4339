import {
  AdminListGroupsForUserCommand,
  ListUsersCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Decider } from './approval-decision.ts';
import { callSlackApi, type SlackApiOptions } from './slack-api.ts';

/** Who decides when a Slack user clicks: the same identity (Cognito `sub`) and groups as the API sees. */
export type SlackDeciderResolver = (slackUserId: string) => Promise<Decider | undefined>;

export interface SlackCognitoResolverOptions extends SlackApiOptions {
  /** The pool whose users decide (the bot token needs users:read and users:read.email). */
  readonly userPoolId: string;
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
}

/** Plain addresses only: the address goes into a Cognito filter expression, so nothing that could change its meaning. */
const PLAIN_EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$/;

/**
 * Resolves a Slack decider to the Cognito identity at decision time: the Slack profile's e-mail
 * (Slack `users.info`), then the one enabled, confirmed pool user with that verified e-mail, and
 * that user's groups as the pool has them now. So a person is one identity whether they decide in
 * Slack or over the API (nobody approves their own call under a second name), and taking someone
 * out of the `approver` group takes away their Slack decisions at once. Anything unclear resolves
 * to nobody: the decision is refused.
 */
export const slackCognitoResolver =
  (options: SlackCognitoResolverOptions): SlackDeciderResolver =>
  async (slackUserId) => {
    if (!/^[UW][A-Z0-9]{2,30}$/.test(slackUserId)) return undefined;
    const answer = (await callSlackApi(options, 'users.info', { user: slackUserId }, 'form')) as {
      user?: { deleted?: boolean; is_bot?: boolean; profile?: { email?: string } };
    };
    const email = answer.user?.profile?.email;
    if (answer.user?.deleted || answer.user?.is_bot || typeof email !== 'string' || !PLAIN_EMAIL.test(email)) return undefined;

    const found = await options.cognito.send(
      new ListUsersCommand({ UserPoolId: options.userPoolId, Filter: `email = "${email}"`, Limit: 2 }),
    );
    const users = (found.Users ?? []).filter((u) => u.Enabled !== false && u.UserStatus === 'CONFIRMED');
    const [user] = users;
    if (users.length !== 1 || !user?.Username) return undefined;
    const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
    const sub = attribute('sub');
    if (!sub || attribute('email_verified') !== 'true' || attribute('email')?.toLowerCase() !== email.toLowerCase()) return undefined;
    const groups = await options.cognito.send(
      new AdminListGroupsForUserCommand({ UserPoolId: options.userPoolId, Username: user.Username, Limit: 60 }),
    );
    return { userId: sub, groups: (groups.Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : [])) };
  };
