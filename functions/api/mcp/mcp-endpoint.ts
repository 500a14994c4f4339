import { randomUUID } from 'node:crypto';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  Server,
  WebStandardStreamableHTTPServerTransport,
} from '../../commons/mcp-sdk/server.ts';
import type { ApiRequest, ApiResponse } from '../api-types.ts';
import type { AuthenticatedRequest } from '../routes.ts';
import { forbidden, methodNotAllowed, notFound, unauthorized } from '../http-error.ts';
import { MAX_BODY_BYTES, payloadTooLarge } from '../request-body.ts';
import { errorResponse } from '../error-response.ts';
import { callMcpTool, listMcpTools, type McpToolDeps } from './mcp-tools.ts';

const SESSION = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVER_INFO = { name: 'guarded-agents', version: '0.2.0' };

/** Whether a JSON-RPC body (one message or a batch) holds an initialize request. */
const initializes = (body: unknown): boolean =>
  (Array.isArray(body) ? body : [body]).some((m) => (m as { method?: unknown } | null)?.method === 'initialize');

const PROTO = '__proto__';
/**
 * A copy of parsed JSON in which an own `__proto__` key (JSON.parse keeps it as data) is renamed
 * `[__proto__]`. The SDK copies arguments into new objects, where assigning `__proto__` would set
 * the prototype and drop the key: the call would run without it. Renamed, it stays a key, and the
 * tool's strict schema refuses it, as it does for a model's call.
 */
const keepProtoKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(keepProtoKeys);
  if (!value || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value))
    Object.defineProperty(copy, key === PROTO ? `[${PROTO}]` : key, {
      value: keepProtoKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
};

/** The body as JSON, or undefined (the transport then answers the parse error itself). */
const parseBody = (body: string): unknown => {
  try {
    return keepProtoKeys(JSON.parse(body));
  } catch {
    return undefined;
  }
};

/**
 * `POST /mcp`: the Model Context Protocol over Streamable HTTP (the official SDK's transport, JSON
 * responses), for the caller the authorizer established. Each request is served on its own (no
 * state kept between requests: one Lambda or another may answer the next). The session is the id
 * given in `Mcp-Session-Id` when the client initialized; it names the run its calls are audited under.
 */
export const handleMcp = async (request: AuthenticatedRequest, deps: McpToolDeps): Promise<ApiResponse> => {
  // DNS rebinding: a browser page may only reach this server from its own origin.
  const origin = request.headers.origin;
  if (origin !== undefined && new URL(origin, 'http://invalid').host !== request.headers.host)
    throw forbidden('Requests from another origin are refused.');

  const incoming = request.headers['mcp-session-id'];
  const parsed = parseBody(request.body);
  const isInitialize = initializes(parsed);
  const session = !isInitialize && incoming && SESSION.test(incoming) ? incoming : randomUUID();
  const { identity } = request;

  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await listMcpTools(identity, deps) }));
  server.setRequestHandler(CallToolRequestSchema, async (call) =>
    callMcpTool(identity, session, call.params.name, call.params.arguments ?? {}, deps),
  );
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  await server.connect(transport);
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name, value);
    const response = await transport.handleRequest(
      new Request(`http://${request.headers.host ?? 'localhost'}${request.path}`, { method: request.method, headers, body: request.body }),
      parsed === undefined ? {} : { parsedBody: parsed },
    );
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => void (out[name] = value));
    if (isInitialize && response.ok) out['mcp-session-id'] = session;
    return { status: response.status, rawBody: await response.text(), headers: out };
  } finally {
    await server.close();
  }
};

/** The MCP function's whole API (deployed, `/mcp` has a function of its own): the route's checks, then {@link handleMcp}. */
export const handleMcpRequest = async (
  request: ApiRequest,
  deps: McpToolDeps,
  onUnexpected: (error: unknown) => void = () => {},
): Promise<ApiResponse> => {
  try {
    if (request.path !== '/mcp') throw notFound(`No route ${request.method} ${request.path.slice(0, 100)}.`);
    if (request.method !== 'POST') throw methodNotAllowed(request.method, ['POST']);
    if (Buffer.byteLength(request.body) > MAX_BODY_BYTES) throw payloadTooLarge();
    if (!request.identity) throw unauthorized();
    return await handleMcp({ ...request, identity: request.identity }, deps);
  } catch (error) {
    return errorResponse(error, onUnexpected);
  }
};
