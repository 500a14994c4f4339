import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slackCognitoResolver } from '#shared/approval/slack-decider.ts';

const fixture = (path: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures', path), 'utf8')) as Record<string, unknown>;

/** Slack and Cognito answering in their documented shapes; what each was asked is kept. */
const world = (overrides: { slack?: Record<string, unknown>; users?: Record<string, unknown>; groups?: Record<string, unknown> } = {}) => {
  const asked: Array<{ to: string; input: unknown }> = [];
  const fetchSlack = (async (url: string | URL | Request, init?: RequestInit) => {
    asked.push({ to: String(url), input: String(init?.body) });
    return new Response(JSON.stringify(overrides.slack ?? fixture('slack/users-info-ok.json')));
  }) as typeof fetch;
  const cognito = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      asked.push({ to: command.constructor.name, input: command.input });
      return command.constructor.name === 'ListUsersCommand'
        ? (overrides.users ?? fixture('cognito/list-users.json'))
        : (overrides.groups ?? fixture('cognito/admin-list-groups-for-user.json'));
    },
  };
  return {
    asked,
    resolve: slackCognitoResolver({ botToken: 'xoxb-test', userPoolId: 'us-east-1_EXAMPLE', cognito: cognito as never, fetch: fetchSlack }),
  };
};

describe('slackCognitoResolver', () => {
  it('resolves a Slack user to their Cognito sub and current groups', async () => {
    const { resolve, asked } = world();
    expect(await resolve('W012A3CDE')).toEqual({ userId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE22222', groups: ['approver', 'operator'] });
    expect(asked[0]).toEqual({ to: 'https://slack.com/api/users.info', input: 'user=W012A3CDE' });
    expect(asked[1]).toEqual({
      to: 'ListUsersCommand',
      input: { UserPoolId: 'us-east-1_EXAMPLE', Filter: 'email = "spengler@ghostbusters.example.com"', Limit: 2 },
    });
    expect(asked[2]).toMatchObject({ to: 'AdminListGroupsForUserCommand', input: { Username: 'spengler' } });
  });

  it('takes away Slack decisions with the approver group: groups are read at decision time', async () => {
    const { resolve } = world({ groups: { Groups: [{ GroupName: 'operator' }] } });
    expect(await resolve('W012A3CDE')).toEqual({ userId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE22222', groups: ['operator'] });
  });

  it.each([
    ['no pool user has the e-mail', { users: { Users: [] } }],
    [
      'two pool users have it',
      {
        users: {
          Users: [...(fixture('cognito/list-users.json').Users as unknown[]), ...(fixture('cognito/list-users.json').Users as unknown[])],
        },
      },
    ],
    [
      'the pool user is disabled',
      { users: { Users: [{ ...(fixture('cognito/list-users.json').Users as Array<Record<string, unknown>>)[0], Enabled: false }] } },
    ],
    [
      'the pool user has not signed in yet',
      {
        users: {
          Users: [
            { ...(fixture('cognito/list-users.json').Users as Array<Record<string, unknown>>)[0], UserStatus: 'FORCE_CHANGE_PASSWORD' },
          ],
        },
      },
    ],
    [
      'the e-mail is not verified',
      {
        users: {
          Users: [
            {
              ...(fixture('cognito/list-users.json').Users as Array<Record<string, unknown>>)[0],
              Attributes: [
                { Name: 'sub', Value: 's' },
                { Name: 'email_verified', Value: 'false' },
                { Name: 'email', Value: 'spengler@ghostbusters.example.com' },
              ],
            },
          ],
        },
      },
    ],
    ['the Slack user is a bot', { slack: { ok: true, user: { id: 'B1', is_bot: true, profile: { email: 'bot@example.com' } } } }],
    [
      'the Slack profile has an address that could change the filter',
      { slack: { ok: true, user: { id: 'U1', profile: { email: 'a" or email ^= "@example.com' } } } },
    ],
  ])('resolves nobody when %s', async (_why, overrides) => {
    expect(await world(overrides).resolve('W012A3CDE')).toBeUndefined();
  });

  it('refuses ids that are not Slack user ids without asking anyone, and reports Slack errors by code', async () => {
    const { resolve, asked } = world();
    expect(await resolve('U123; drop')).toBeUndefined();
    expect(asked).toEqual([]);
    await expect(world({ slack: fixture('slack/users-info-error.json') }).resolve('W012A3CDE')).rejects.toThrow(
      'Slack users.info failed: user_not_found',
    );
  });
});
