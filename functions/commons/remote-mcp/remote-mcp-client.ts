import { Client, StreamableHTTPClientTransport, StreamableHTTPError } from '../mcp-sdk/client.ts';
import {
  type RemoteCallResult,
  type RemoteMcpServer,
  RemoteServerError,
  type RemoteToolDefinition,
} from '../../../shared/remote-mcp/index.ts';
import { isToolError } from '../../../shared/tool-result/index.ts';
import { cappedFetch } from './capped-fetch.ts';

export interface RemoteMcpClientOptions {
  /** The server's Streamable HTTP endpoint. */
  readonly url: string;
  /** The headers each connection is made with (its credentials); read again when a connection is made anew. */
  readonly headers: () => Promise<Record<string, string>>;
  readonly fetch: typeof fetch;
  /** How long a listing is trusted before the pins are checked against a fresh one. @default 60 seconds */
  readonly definitionTtlMs?: number;
  /** What one response may carry at most, read from the network. @default 1 MiB */
  readonly maxResponseBytes?: number;
  /** Epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** Pages of `tools/list` read at most: a server that never stops paging is not followed forever. */
const MAX_PAGES = 20;
/** The SDK's own per-request timeout, set past any tool's: the tool's timeout aborts through the signal. */
const REQUEST_TIMEOUT_MS = 15 * 60_000;

/** The server forgot the session (HTTP 404, as the spec says it answers then): a new one may be made and the request sent again. */
const sessionGone = (error: unknown) => error instanceof StreamableHTTPError && error.code === 404;

const asRemoteError = (error: unknown, url: string): Error => {
  if (isToolError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  const status = error instanceof StreamableHTTPError && error.code !== undefined ? ` (HTTP ${error.code})` : '';
  return new RemoteServerError(`The remote MCP server at ${new URL(url).host} could not be used${status}.`, { cause: error });
};

/**
 * A remote MCP server through the official SDK's client, over Streamable HTTP, as a remote tool's
 * handler uses it: one session per function instance, made on first use and made anew when the
 * server has forgotten it; the tool listing reused for `definitionTtlMs`, so each call's pin check
 * costs no request most of the time. Redirects are refused (a redirect is how a request with
 * credentials is sent somewhere else), and every response is capped.
 */
export const createRemoteMcpClient = (
  options: RemoteMcpClientOptions,
): RemoteMcpServer & { list(signal: AbortSignal): Promise<RemoteToolDefinition[]>; close(): Promise<void> } => {
  const { url, definitionTtlMs = 60_000, maxResponseBytes = 1_048_576, now = Date.now } = options;
  const fetchCapped = cappedFetch(options.fetch, maxResponseBytes);
  let session: Promise<Client> | undefined;
  let listing: { at: number; tools: ReadonlyMap<string, RemoteToolDefinition> } | undefined;

  const connect = async (): Promise<Client> => {
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      fetch: fetchCapped,
      requestInit: { headers: await options.headers(), redirect: 'error' },
    });
    const client = new Client({ name: 'guarded-agents', version: '1' });
    await client.connect(transport);
    return client;
  };
  const drop = async (stale: Promise<Client>) => {
    if (session === stale) {
      session = undefined;
      // A new session lists the tools anew: the pins are checked against what that session offers.
      listing = undefined;
    }
    await stale.then((client) => client.close()).catch(() => undefined);
  };
  /**
   * Runs `work` on the session; once more on a new session if the server forgot this one (it then
   * did nothing, so nothing runs twice).
   */
  const withSession = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      const current = (session ??= connect());
      try {
        return await work(await current);
      } catch (error) {
        // Whatever failed (the credentials, the connection, the session), the next use starts afresh.
        await drop(current);
        if (!(attempt === 1 && sessionGone(error))) throw asRemoteError(error, url);
      }
    }
  };

  const list = async (signal: AbortSignal) => {
    const tools = new Map<string, RemoteToolDefinition>();
    await withSession(async (client) => {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result = await client.listTools(cursor ? { cursor } : {}, { signal, timeout: REQUEST_TIMEOUT_MS });
        for (const tool of result.tools) tools.set(tool.name, tool as RemoteToolDefinition);
        cursor = result.nextCursor;
        if (!cursor) return;
      }
    });
    listing = { at: now(), tools };
    return tools;
  };

  return {
    /** Every tool the server lists now (npm run mcp:pin prints them). */
    list: async (signal) => [...(await list(signal)).values()],
    definition: async (name, signal) => {
      const tools = listing && now() - listing.at < definitionTtlMs ? listing.tools : await list(signal);
      return tools.get(name);
    },
    call: async (name, args, signal) => {
      const result = await withSession((client) =>
        client.callTool({ name, arguments: { ...args } }, undefined, { signal, timeout: REQUEST_TIMEOUT_MS }),
      );
      // Servers of protocol 2024-10-07 answer { toolResult }: shown as its JSON text.
      return 'content' in result
        ? (result as RemoteCallResult)
        : { content: [{ type: 'text', text: JSON.stringify(result.toolResult) ?? '' }] };
    },
    close: async () => {
      if (session) await drop(session);
    },
  };
};
