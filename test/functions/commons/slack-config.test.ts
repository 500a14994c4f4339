import { describe, expect, it } from 'vitest';
import { loadSlackConfig, UNFILLED_SLACK_SECRET } from '#functions/commons/slack-config.ts';
import recorded from '../../fixtures/secrets-manager/get-secret-value.json' with { type: 'json' };

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:SlackSecret-a1b2c3';
/** A Secrets Manager client answering GetSecretValue in its documented shape, with this SecretString. */
const secretsWith = (secretString: string) => ({ send: async () => ({ ...recorded, ARN, SecretString: secretString }) }) as never;
const env = { SLACK_SECRET_ARN: ARN, SLACK_CHANNEL: 'C123ABC456' };

const load = async (secretString: string) => {
  const warnings: string[] = [];
  const config = await loadSlackConfig(env, secretsWith(secretString), (m) => warnings.push(m));
  return { config, warnings };
};

describe('loadSlackConfig', () => {
  it('is off without SLACK_SECRET_ARN, and asks nothing of Secrets Manager', async () => {
    const asked: unknown[] = [];
    expect(await loadSlackConfig({}, { send: async (c: unknown) => asked.push(c) } as never)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('reads a filled secret', async () => {
    const { config, warnings } = await load(
      JSON.stringify({
        signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
        botToken: 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
      }),
    );
    expect(config).toMatchObject({ signingSecret: '8f742231b10e8888abcd99yyyzzz85a5', channel: 'C123ABC456' });
    expect(warnings).toEqual([]);
  });

  it('treats the secret as the stack creates it (unfilled) as Slack off, so every route still answers', async () => {
    const { config, warnings } = await load(JSON.stringify(UNFILLED_SLACK_SECRET));
    expect(config).toBeUndefined();
    expect(warnings.join()).toMatch(/not filled in yet/);
  });

  it('treats a non-JSON secret as unfilled and never echoes its value', async () => {
    const value = 'Xq3!longRandomGeneratedPassword/with+symbols';
    const { config, warnings } = await load(value);
    expect(config).toBeUndefined();
    expect(warnings.join()).not.toContain(value.slice(0, 4));
  });

  it('says which field of a wrongly filled secret is wrong, without its value', async () => {
    const { config, warnings } = await load(
      JSON.stringify({ signingSecret: '8f742231b10e8888abcd99yyyzzz85a5', botToken: 'xoxp-user-token-pasted-by-mistake' }),
    );
    expect(config).toBeUndefined();
    expect(warnings.join()).toContain('botToken');
    expect(warnings.join()).not.toContain('xoxp-user');
    expect(warnings.join()).not.toContain('8f742231');
  });
});
