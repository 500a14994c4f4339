import { LOCAL_HOST_NAMES } from './local/http-server.ts';
import { loadLocalUsers } from './local/local-users.ts';

/** The options every CLI that calls the API takes: where it is, and whose token. */
export const apiTargetOptions = (env: NodeJS.ProcessEnv) =>
  ({
    url: { type: 'string', default: `http://127.0.0.1:${env.PORT ?? 3000}/` },
    token: { type: 'string' },
  }) as const;

/**
 * The API a CLI talks to and the token it sends: `--token`, else the variable named, else, for a
 * URL on this machine, the admin of the local users file (npm start's tokens).
 */
export const apiTarget = (values: { url: string; token?: string | undefined }, envToken: string | undefined, command: string) => {
  const url = new URL(values.url);
  const local = LOCAL_HOST_NAMES.includes(url.hostname) ? loadLocalUsers().find((u) => u.groups.includes('admin'))?.token : undefined;
  const token = values.token ?? envToken ?? local;
  if (!token) throw new Error(`${command}: an admin token is needed: --token <token> (a deployed stack: an ID token from npm run token).`);
  return { url, token };
};

/** What a CLI prints when the API cannot be reached or refuses. */
export const apiFailure = (command: string, error: unknown): string => {
  const unreachable = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  return `${command}: ${unreachable ? 'nothing answers there; start the local system with npm start, or pass --url' : (error as Error).message}`;
};
