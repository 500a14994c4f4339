import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signIn, SignInError } from '../../../infra/token/cognito-sign-in.ts';
import { poolFromOutputs } from '../../../infra/token/token-cli.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/cognito', `${name}.json`), 'utf8')) as unknown;

/** A Cognito client that answers each call with the next recorded response and keeps what it was sent. */
const cognito = (...answers: string[]) => {
  const sent: Array<{ command: string; input: Record<string, unknown> }> = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      const next = answers.shift();
      if (!next) throw new Error('no more recorded answers');
      return fixture(next);
    },
  };
  return { client: client as never, sent };
};

const prompts = (asked: string[] = []) => ({
  newPassword: async () => (asked.push('newPassword'), 'A-new-passw0rd-of-14+'),
  setUpTotp: async (secret: string, uri: string) => (asked.push(`setUp ${secret} ${uri}`), '123456'),
  totpCode: async () => (asked.push('code'), '654321'),
});

describe('signIn', () => {
  it('walks an invited user through a new password and TOTP set-up to an ID token', async () => {
    const { client, sent } = cognito(
      'new-password-required',
      'mfa-setup',
      'associate-software-token',
      'verify-software-token',
      'authentication-result',
    );
    const asked: string[] = [];
    const result = await signIn({
      client,
      clientId: 'client-1',
      username: 'pat@example.com',
      password: 'Temp-passw0rd!',
      prompts: prompts(asked),
    });
    expect(result.IdToken).toBe('eyJra789ghiEXAMPLE');
    expect(sent.map((s) => s.command)).toEqual([
      'InitiateAuthCommand',
      'RespondToAuthChallengeCommand',
      'AssociateSoftwareTokenCommand',
      'VerifySoftwareTokenCommand',
      'RespondToAuthChallengeCommand',
    ]);
    expect(sent[0]!.input).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: 'client-1',
      AuthParameters: { USERNAME: 'pat@example.com', PASSWORD: 'Temp-passw0rd!' },
    });
    // Challenges name the pool's user name, and carry the session of the answer before.
    expect(sent[1]!.input).toEqual({
      ClientId: 'client-1',
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: 'AYABeEXAMPLEsession1',
      ChallengeResponses: { USERNAME: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111', NEW_PASSWORD: 'A-new-passw0rd-of-14+' },
    });
    expect(sent[2]!.input).toEqual({ Session: 'AYABeEXAMPLEsession2' });
    expect(sent[3]!.input).toMatchObject({ Session: 'AYABeEXAMPLEsession3', UserCode: '123456' });
    expect(sent[4]!.input).toMatchObject({ ChallengeName: 'MFA_SETUP', Session: 'AYABeEXAMPLEsession4' });
    expect(asked[1]).toContain(
      'otpauth://totp/guarded-agents%3Apat%40example.com?secret=JBSWY3DPEHPK3PXPEXAMPLESECRETCODE&issuer=guarded-agents',
    );
  });

  it('asks for the authenticator code on a later sign-in', async () => {
    const { client, sent } = cognito('software-token-mfa', 'authentication-result');
    const result = await signIn({ client, clientId: 'client-1', username: 'pat@example.com', password: 'p', prompts: prompts() });
    expect(result.IdToken).toBe('eyJra789ghiEXAMPLE');
    expect(sent[1]!.input).toMatchObject({
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      ChallengeResponses: { SOFTWARE_TOKEN_MFA_CODE: '654321' },
    });
  });

  it('stops on a challenge it does not answer, or a TOTP code that was refused', async () => {
    const unknown = { send: async () => ({ ChallengeName: 'SMS_MFA', Session: 's' }) } as never;
    await expect(signIn({ client: unknown, clientId: 'c', username: 'u', password: 'p', prompts: prompts() })).rejects.toThrow(/SMS_MFA/);
    const refused = {
      send: async (c: { constructor: { name: string } }) =>
        c.constructor.name === 'VerifySoftwareTokenCommand'
          ? { Status: 'ERROR' }
          : c.constructor.name === 'AssociateSoftwareTokenCommand'
            ? fixture('associate-software-token')
            : fixture('mfa-setup'),
    } as never;
    await expect(signIn({ client: refused, clientId: 'c', username: 'u', password: 'p', prompts: prompts() })).rejects.toBeInstanceOf(
      SignInError,
    );
  });
});

describe('npm run token: where the pool comes from', () => {
  const outputs = JSON.stringify({
    GuardedAgents: { UserPoolId: 'eu-west-1_AbCdEf123', UserPoolClientId: '1example23456789', ApiUrl: 'https://x/prod/' },
  });
  it('reads the ids from cdk deploy --outputs-file, or from the environment', () => {
    expect(poolFromOutputs({}, () => outputs)).toEqual({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789' });
    expect(
      poolFromOutputs({ USER_POOL_ID: 'us-east-1_X', USER_POOL_CLIENT_ID: 'c' }, () => {
        throw new Error('not read');
      }),
    ).toEqual({ userPoolId: 'us-east-1_X', clientId: 'c' });
  });
  it('says how to get them when they are missing', () => {
    expect(() =>
      poolFromOutputs({}, () => {
        throw new Error('ENOENT');
      }),
    ).toThrow(/--outputs-file cdk-outputs.json/);
    expect(() => poolFromOutputs({ STACK_NAME: 'Other' }, () => outputs)).toThrow(/stack Other/);
  });
});
