/**
 * `npm run token`: sign in to the deployed stack's user pool and print an ID token for the API.
 *
 *   npx cdk deploy --outputs-file cdk-outputs.json ...   # once: the pool and client ids land here
 *   TOKEN=$(npm run -s token -- you@example.com)
 *   MCP_TOKEN=$(npm run -s token -- you@example.com --access)   # /mcp, with mcpOAuth
 *   curl -H "Authorization: $TOKEN" "$API_URL/tools"
 *
 * The first sign-in of an invited user sets a new password and an authenticator app (TOTP).
 * Prompts go to stderr and only the token to stdout. Settings: OUTPUTS_FILE (default
 * cdk-outputs.json), STACK_NAME (default GuardedAgents), or USER_POOL_CLIENT_ID with
 * USER_POOL_ID (its region is the pool id's prefix).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { StackOutput } from '../guarded-agents-stack.ts';
import { signIn } from './cognito-sign-in.ts';

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(1);
};

/** The pool and client ids: from the environment, else from `cdk deploy --outputs-file`. */
export const poolFromOutputs = (env: NodeJS.ProcessEnv, read: (path: string) => string): { userPoolId: string; clientId: string } => {
  if (env.USER_POOL_ID && env.USER_POOL_CLIENT_ID) return { userPoolId: env.USER_POOL_ID, clientId: env.USER_POOL_CLIENT_ID };
  const file = env.OUTPUTS_FILE ?? 'cdk-outputs.json';
  let outputs: Record<string, Record<string, string>>;
  try {
    outputs = JSON.parse(read(file)) as typeof outputs;
  } catch {
    throw new Error(
      `Cannot read ${file}: deploy with \`npx cdk deploy --outputs-file ${file}\`, or set USER_POOL_ID and USER_POOL_CLIENT_ID.`,
    );
  }
  const stack = outputs[env.STACK_NAME ?? 'GuardedAgents'] ?? {};
  const userPoolId = stack[StackOutput.USER_POOL_ID];
  const clientId = stack[StackOutput.USER_POOL_CLIENT_ID];
  if (!userPoolId || !clientId)
    throw new Error(
      `${file} has no ${StackOutput.USER_POOL_ID} and ${StackOutput.USER_POOL_CLIENT_ID} for stack ${env.STACK_NAME ?? 'GuardedAgents'} (STACK_NAME).`,
    );
  return { userPoolId, clientId };
};

/** Reads a line without echoing it (passwords). */
const hidden = async (question: string): Promise<string> => {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const output = rl as unknown as { _writeToOutput: (s: string) => void };
  const write = output._writeToOutput.bind(rl);
  output._writeToOutput = (s: string) => write(s.startsWith(question) ? question : '');
  try {
    return await rl.question(question);
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
};
const ask = async (question: string): Promise<string> => {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
};

if (import.meta.main) {
  try {
    const { userPoolId, clientId } = poolFromOutputs(process.env, (path) => readFileSync(path, 'utf8'));
    // `--access`: the access token, which /mcp takes when the deployment sets up MCP's OAuth flow (mcpOAuth).
    const args = process.argv.slice(2);
    const access = args.includes('--access');
    const username = args.find((a) => a !== '--access') ?? (await ask('E-mail: '));
    const password = process.env.COGNITO_PASSWORD ?? (await hidden("Password (the invitation's temporary one the first time): "));
    const result = await signIn({
      client: new CognitoIdentityProviderClient({ region: userPoolId.split('_')[0] }),
      clientId,
      username,
      password,
      prompts: {
        newPassword: () => hidden('Choose a new password (14+ characters, upper, lower, digit, symbol): '),
        setUpTotp: async (secret, uri) => {
          process.stderr.write(`MFA is required. Add this to your authenticator app:\n  ${uri}\n  (or type the key ${secret})\n`);
          return ask('Code it shows: ');
        },
        totpCode: () => ask('Authenticator code: '),
      },
    });
    process.stdout.write(`${access ? result.AccessToken : result.IdToken}\n`);
  } catch (error) {
    fail(`Sign-in failed: ${error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'}`);
  }
}
