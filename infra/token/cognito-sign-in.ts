import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

/** What the sign-in asks the person at the keyboard. Passwords and codes are never printed. */
export interface SignInPrompts {
  /** A new password, when the pool requires one (first sign-in with the invitation's temporary password). */
  readonly newPassword: () => Promise<string>;
  /** The TOTP secret to add to an authenticator app (first sign-in), then the code it shows. */
  readonly setUpTotp: (secretCode: string, otpauthUri: string) => Promise<string>;
  /** The code the authenticator app shows now. */
  readonly totpCode: () => Promise<string>;
}

export interface SignInOptions {
  readonly client: Pick<CognitoIdentityProviderClient, 'send'>;
  readonly clientId: string;
  readonly username: string;
  readonly password: string;
  readonly prompts: SignInPrompts;
  /** Shown by the authenticator app. @default 'guarded-agents' */
  readonly issuer?: string;
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/** Challenges answered before giving up: a pool asks at most three (new password, MFA set-up, MFA). */
const MAX_CHALLENGES = 5;

/**
 * Signs a person in to the user pool with USER_PASSWORD_AUTH and answers the challenges an
 * invited user meets on the way: a new password (the invitation's is temporary), setting up TOTP
 * (the pool requires MFA and offers TOTP only) and the TOTP code on later sign-ins. Returns the
 * tokens; the ID token is what the API's Cognito authorizer takes.
 */
export const signIn = async (options: SignInOptions): Promise<AuthenticationResultType> => {
  const { client, clientId, prompts } = options;
  let answer = await client.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: options.username, PASSWORD: options.password },
    }),
  );
  for (let i = 0; i < MAX_CHALLENGES; i++) {
    if (answer.AuthenticationResult?.IdToken) return answer.AuthenticationResult;
    // The pool signs in by e-mail alias; challenges must name the user by their pool user name.
    const username = answer.ChallengeParameters?.USER_ID_FOR_SRP ?? options.username;
    const respond = (responses: Record<string, string>, session = answer.Session) =>
      client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: answer.ChallengeName,
          Session: session,
          ChallengeResponses: { USERNAME: username, ...responses },
        }),
      );
    switch (answer.ChallengeName) {
      case 'NEW_PASSWORD_REQUIRED':
        answer = await respond({ NEW_PASSWORD: await prompts.newPassword() });
        break;
      case 'MFA_SETUP': {
        const associated = await client.send(new AssociateSoftwareTokenCommand({ Session: answer.Session }));
        if (!associated.SecretCode) throw new SignInError('Cognito gave no TOTP secret to set up.');
        const issuer = options.issuer ?? 'guarded-agents';
        const uri = `otpauth://totp/${encodeURIComponent(`${issuer}:${options.username}`)}?secret=${associated.SecretCode}&issuer=${encodeURIComponent(issuer)}`;
        const code = await prompts.setUpTotp(associated.SecretCode, uri);
        const verified = await client.send(
          new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: code, FriendlyDeviceName: issuer }),
        );
        if (verified.Status !== 'SUCCESS')
          throw new SignInError('The authenticator code was not accepted; sign in again to retry the set-up.');
        answer = await respond({}, verified.Session);
        break;
      }
      case 'SOFTWARE_TOKEN_MFA':
        answer = await respond({ SOFTWARE_TOKEN_MFA_CODE: await prompts.totpCode() });
        break;
      default:
        throw new SignInError(`Cognito asked for ${answer.ChallengeName ?? 'nothing'}, which this sign-in does not answer.`);
    }
  }
  throw new SignInError('Cognito kept asking; sign-in stopped.');
};
