import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiRequest } from '#functions/api/api-types.ts';
import { handleApiRequest } from '#functions/api/router.ts';
import type { ApiDeps } from '#functions/api/routes.ts';
import { identityFrom, type LocalUser } from './local-users.ts';

const MAX_BODY_BYTES = 256 * 1024;

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });

/** The HTTP API of DESIGN.md over node:http, with the local users file standing in for Cognito. */
export const createApiServer = (deps: ApiDeps, users: readonly LocalUser[], onUnexpected: (error: unknown) => void = () => {}): Server =>
  createServer(async (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const request: ApiRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: await readBody(req),
        identity: identityFrom(users, headers.authorization),
      };
      const response = await handleApiRequest(request, deps, onUnexpected);
      send(response.status, response.body, response.headers);
    } catch (error) {
      if ((error as { status?: number }).status === 413) send(413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is larger than 256 KB.' } });
      else {
        onUnexpected(error);
        send(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
      }
    }
  });

/** Listens on `port` (0: any free one); a taken port is a clear error, not a stack trace. */
export const listen = (server: Server, port: number, host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use: stop what uses it, or start with PORT=<another port>.`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
