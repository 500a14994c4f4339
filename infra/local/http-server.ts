import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ApiRequest } from '#functions/api/api-types.ts';
import { handleApiRequest } from '#functions/api/router.ts';
import type { ApiDeps } from '#functions/api/routes.ts';
import { identityFrom, type LocalUser } from './local-users.ts';

const MAX_BODY_BYTES = 256 * 1024;

// The console is static: read once. Its script and styles are separate files so that the page can
// run under a CSP without 'unsafe-inline'.
const CONSOLE_DIR = join(import.meta.dirname, 'console');
const consoleFiles: Record<string, { type: string; body: string }> = {
  '/console': { type: 'text/html; charset=utf-8', body: readFileSync(join(CONSOLE_DIR, 'console.html'), 'utf8') },
  '/console/console.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(CONSOLE_DIR, 'console.js'), 'utf8') },
  '/console/console.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(CONSOLE_DIR, 'console.css'), 'utf8') },
};
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

export interface LocalServerOptions {
  readonly onUnexpected?: (error: unknown) => void;
  /** Per-tool counters for the console (the local stand-in for the dashboard). */
  readonly stats?: () => Promise<unknown>;
}

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

/**
 * The HTTP API of DESIGN.md over node:http, with the local users file standing in for Cognito,
 * plus the console at /console (local mode only: it lists the local users' tokens).
 */
export const createApiServer = (deps: ApiDeps, users: readonly LocalUser[], options: LocalServerOptions = {}): Server => {
  const onUnexpected = options.onUnexpected ?? (() => {});
  return createServer(async (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const file = req.method === 'GET' ? consoleFiles[url.pathname] : undefined;
      if (file) {
        res.writeHead(200, { 'content-type': file.type, 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
        res.end(file.body);
        return;
      }
      if (req.method === 'GET' && url.pathname === '/local/users') return send(200, users.map(({ token, userId, groups }) => ({ token, userId, groups })));
      if (req.method === 'GET' && url.pathname === '/local/tools/stats') return send(200, (await options.stats?.()) ?? {});
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
};

/** Listens on `port` (0: any free one); a taken port is a clear error, not a stack trace. */
export const listen = (server: Server, port: number, host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use: stop what uses it, or start with PORT=<another port>.`) : error),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
