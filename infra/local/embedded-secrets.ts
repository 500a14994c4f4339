import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT } from './iam/function-policies.ts';

/**
 * A secret's ARN locally: Secrets Manager appends a dash and six random characters to the name,
 * which is why CDK grants on `name-??????`; here they are fixed.
 */
export const localSecretArn = (name: string) =>
  `arn:${LOCAL_ACCOUNT.partition}:secretsmanager:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.account}:secret:${name}-a1b2c3`;

/** A SecretId (a name, or an ARN as localSecretArn makes it) to the secret's name. */
const nameOf = (secretId: string) =>
  secretId.startsWith('arn:') ? secretId.replace(/^.*:secret:/, '').replace(/-[A-Za-z0-9]{6}$/, '') : secretId;

/**
 * Secrets Manager's GetSecretValue on this machine, over its own wire protocol (AWS JSON 1.1), so
 * that the deployed code reads its secrets through the real SDK client, checked against its role
 * like every other call. No package on the registry serves it; this one operation is all the
 * functions use. Answers in the shapes of the Secrets Manager API reference (the response example
 * in test/fixtures/secrets-manager, and ResourceNotFoundException for a name it does not hold).
 * Secrets are given at start (LocalSystemOptions.secrets), and held in memory only.
 */
export const startEmbeddedSecrets = async (secrets: Readonly<Record<string, string>>) => {
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const answer = (status: number, json: object, errorType?: string) => {
        response.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        response.end(JSON.stringify(json));
      };
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      if (operation !== 'GetSecretValue')
        return answer(
          400,
          { __type: 'UnknownOperationException', message: `${operation} is not served locally` },
          'UnknownOperationException',
        );
      let secretId: string;
      try {
        secretId = String((JSON.parse(body) as { SecretId?: unknown }).SecretId ?? '');
      } catch {
        return answer(400, { __type: 'InvalidRequestException', message: 'The request body is not JSON.' }, 'InvalidRequestException');
      }
      const name = nameOf(secretId);
      const value = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
      if (value === undefined)
        return answer(
          400,
          { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
          'ResourceNotFoundException',
        );
      return answer(200, {
        ARN: localSecretArn(name),
        Name: name,
        SecretString: value,
        VersionId: 'local-version-1',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_700_000_000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
