import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ApiRequest } from '../../functions/api/api-types.ts';
import { handleApiRequest } from '../../functions/api/router.ts';
import { payloadTooLarge } from '../../functions/api/request-body.ts';
import type { ApiDeps } from '../../functions/api/routes.ts';
import type { SentMail } from './embedded-aws.ts';
import { isMetricRange, type MetricRange, type MetricSeries } from './local-metrics.ts';
import { identityFrom, type LocalUser } from './local-users.ts';
import { declaredTooLarge, lingeringClose, readBoundedBody } from './request-body-limit.ts';
import { resolvePeer } from '../../shared/optional-peers/index.ts';

/** How much sent mail `/local/mail` lists, newest first. */
const MAIL_SHOWN = 50;

// The console is static: read once. Its script and styles are separate files so that the page can
// run under a CSP without 'unsafe-inline'.
const CONSOLE_DIR = join(import.meta.dirname, 'console');
const UPLOT_DIR = dirname(resolvePeer('local', 'uplot'));
const CONSOLE_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const consoleFiles: Record<string, { type: string; body: string }> = {
  '/console': { type: 'text/html; charset=utf-8', body: readFileSync(join(CONSOLE_DIR, 'console.html'), 'utf8') },
  // Its modules (console.js imports the panels') and its styles, each under its own name.
  ...Object.fromEntries(
    readdirSync(CONSOLE_DIR).flatMap((name) => {
      const type = CONSOLE_TYPES[extname(name)];
      return type ? [[`/console/${name}`, { type, body: readFileSync(join(CONSOLE_DIR, name), 'utf8') }]] : [];
    }),
  ),
  // uPlot draws the graphs: served from its npm package as it is, from this origin (the CSP allows only 'self').
  '/console/uplot.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(UPLOT_DIR, 'uPlot.iife.min.js'), 'utf8') },
  '/console/uplot.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(UPLOT_DIR, 'uPlot.min.css'), 'utf8') },
};
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * What `createApiServer` serves beside the API: the console's counters, mail, documents and
 * graphs, and what to do with an unexpected error.
 */
export interface LocalServerOptions {
  /** Told of an error no route expected (answered 500). */
  readonly onUnexpected?: (error: unknown) => void;
  /** Per-tool counters for the console (the local stand-in for the dashboard). */
  readonly stats?: () => Promise<unknown>;
  /** The mail send_email sent through the embedded SES (local mode keeps it; the console shows it). */
  readonly sentMail?: () => Promise<readonly SentMail[]>;
  /** The documents in the local S3 bucket (the console shows them). */
  readonly documents?: () => Promise<ReadonlyArray<{ path: string; bytes: number; modifiedAt: string }>>;
  /** The dashboard's figures over a range, as time series (the console's graphs). */
  readonly metrics?: (range: MetricRange) => Promise<MetricSeries>;
  /**
   * Host names the server answers for (the Host header, port aside). Anything else is refused, so
   * a web page whose DNS name rebinds to 127.0.0.1 cannot read the local users' tokens.
   * @default ['127.0.0.1', 'localhost', '[::1]']
   */
  readonly hostNames?: readonly string[];
}

/** Methods that change state: a browser sends them from other sites without asking first. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Why a request is refused before routing, if it is: a Host that is not this server's (DNS
 * rebinding), or a state-changing browser request from another origin (CSRF; the bearer token
 * is the real proof, this closes the door for forms and fetches that carry no token).
 */
export const refuseForeign = (
  headers: IncomingMessage['headers'],
  method: string,
  hostNames: readonly string[],
  port: number,
): string | undefined => {
  const host = (headers.host ?? '').toLowerCase();
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  if (!hostNames.includes(name)) return 'This server answers only for its own host names.';
  const origin = headers.origin;
  if (STATE_CHANGING.has(method) && origin !== undefined) {
    const allowed = hostNames.map((h) => `http://${h}:${port}`);
    if (!allowed.includes(origin.toLowerCase())) return "Requests that change state are accepted from this server's own pages only.";
  }
  return undefined;
};

/** The names this machine answers to: the local server answers only for them (DNS rebinding), and the CLIs treat them as local. */
export const LOCAL_HOST_NAMES: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * What only local mode serves, on GET: the console's files, and what the console shows besides the
 * API (the local users, the tools' counters, the dashboard's figures, the documents, the mail the
 * embedded SES received). Whether it answered.
 */
/** Sends, and says it answered. */
const sent = (send: (status: number, body: unknown) => void, status: number, body: unknown): true => (send(status, body), true);

const serveLocalPage = async (
  url: URL,
  res: ServerResponse,
  send: (status: number, body: unknown) => void,
  users: readonly LocalUser[],
  options: LocalServerOptions,
): Promise<boolean> => {
  const file = consoleFiles[url.pathname];
  if (file) {
    res.writeHead(200, {
      'content-type': file.type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(file.body);
    return true;
  }
  if (url.pathname === '/local/users')
    return sent(
      send,
      200,
      users.map(({ token, userId, groups }) => ({ token, userId, groups })),
    );
  if (url.pathname === '/local/tools/stats') return sent(send, 200, (await options.stats?.()) ?? {});
  if (url.pathname === '/local/metrics') {
    const range = url.searchParams.get('range') ?? '1h';
    if (!isMetricRange(range))
      return sent(send, 400, { error: { code: 'BAD_REQUEST', message: 'range must be one of 15m, 1h, 24h, 7d.' } });
    return sent(send, 200, (await options.metrics?.(range)) ?? {});
  }
  if (url.pathname === '/local/documents') return sent(send, 200, { documents: (await options.documents?.()) ?? [] });
  if (url.pathname === '/local/mail') {
    const mail = ((await options.sentMail?.()) ?? []).slice(-MAIL_SHOWN).reverse();
    return sent(send, 200, {
      mail: mail.map((m) => ({
        messageId: m.messageId,
        from: m.from,
        to: m.destination.to,
        subject: m.subject,
        text: m.body.text ?? '',
        sentAt: new Date(m.at * 1000).toISOString(),
      })),
    });
  }
  return false;
};

/**
 * The HTTP API of DESIGN.md over node:http, with the local users file standing in for Cognito,
 * plus the console at /console (local mode only: it lists the local users' tokens) and the mail the
 * embedded SES received at /local/mail.
 *
 * @example
 * const users = [{ token: 'local-user-token', userId: 'uma', groups: ['user'] }];
 * const system = await startLocalSystem({ app, users });
 * const port = await listen(createApiServer(system.deps, users), 0);
 */
export const createApiServer = (deps: ApiDeps, users: readonly LocalUser[], options: LocalServerOptions = {}): Server => {
  const onUnexpected = options.onUnexpected ?? (() => {});
  const hostNames = options.hostNames ?? LOCAL_HOST_NAMES;
  /** The router's own 413, as every route answers it; the connection then closes, lingering so the client reads it. */
  const refuseTooLarge = (req: IncomingMessage, res: ServerResponse) => {
    const tooLarge = payloadTooLarge();
    const body = JSON.stringify({ error: { code: tooLarge.code, message: tooLarge.message } });
    lingeringClose(req, res);
    res.writeHead(tooLarge.status, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      connection: 'close',
    });
    res.end(body);
  };
  const server = createServer(async (req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    try {
      // A length over the limit is refused before a byte of the body is read.
      if (declaredTooLarge(req)) return refuseTooLarge(req, res);
      const foreign = refuseForeign(req.headers, req.method ?? 'GET', hostNames, req.socket.localPort ?? 0);
      if (foreign) {
        req.resume();
        return send(403, { error: { code: 'FORBIDDEN', message: foreign } });
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'GET' && (await serveLocalPage(url, res, send, users, options))) return;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
      const request: ApiRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: '',
        identity: identityFrom(users, headers.authorization),
        // Only the server's own host names get this far (DNS rebinding), so the Host header names it.
        origin: `http://${headers.host ?? '127.0.0.1'}`,
      };
      // Without a length (chunked), reading stops at the limit.
      const body = await readBoundedBody(req);
      if (body === undefined) return refuseTooLarge(req, res);
      const response = await handleApiRequest({ ...request, body }, deps, onUnexpected);
      if (response.rawBody !== undefined) {
        res.writeHead(response.status, { 'cache-control': 'no-store', ...response.headers });
        res.end(response.rawBody);
        return;
      }
      send(response.status, response.body, response.headers);
    } catch (error) {
      onUnexpected(error);
      if (!res.headersSent) send(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
    }
  });
  // `Expect: 100-continue`: a declared length over the limit gets its 413 instead of `100 Continue`, so the body is never sent.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredTooLarge(req)) return refuseTooLarge(req, res);
    res.writeContinue();
    server.emit('request', req, res);
  });
  return server;
};

/** Listens on `port` (0: any free one); a taken port is a clear error, not a stack trace. */
export const listen = (server: Server, port: number, host = '127.0.0.1'): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is already in use: stop what uses it, or start with PORT=<another port>.`)
          : error,
      ),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
