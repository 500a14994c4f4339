import { defineTool, type ToolContext, type ToolDeclaration, type ToolDefinition, type ToolInputSchema } from '../tool/index.ts';
import { ToolDeclinedError } from '../tool-result/index.ts';
import { RemoteToolChangedError, RemoteToolUnfitError } from './errors.ts';
import { PINNED_DEFINITION, remoteDefinitionHash, type RemoteToolDefinition } from './remote-definition.ts';
import { capRemoteResult, type RemoteCallResult, type RemoteToolOutput } from './remote-result.ts';
import { schemaFitIssues } from './schema-fit.ts';

/** A remote MCP server as a remote tool's handler reaches it (the SDK's client, deployed and locally). */
export interface RemoteMcpServer {
  /** The tool's definition as the server lists it now (a listing is reused for a short while), or undefined if it lists none by that name. */
  definition(name: string, signal: AbortSignal): Promise<RemoteToolDefinition | undefined>;
  /** Calls the tool with arguments the guards admitted. */
  call(name: string, args: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<RemoteCallResult>;
}

/** What a remote tool's handler gets: its server. Built by the package from the tool's `mcpServer` resource. */
export interface RemoteMcpDeps {
  readonly remote: RemoteMcpServer;
}

/** A server id in `GuardedAgent`'s `mcpServers`: lower-case letters, digits and dashes. */
export const MCP_SERVER_ID = /^[a-z][a-z0-9-]{0,39}$/;
/** @default for `maxResultBytes`: what fetch_url gives the model at most. */
export const DEFAULT_MAX_RESULT_BYTES = 16_384;
/** What the logs keep of a remote error's text at most. */
const ERROR_TEXT_BYTES = 500;

/**
 * A remote MCP server's tool declared as a native one (`defineMcpTool`): its server, its remote
 * name and pinned hash, and every field a native tool has.
 */
export type McpToolDeclaration<Schema extends ToolInputSchema> = Omit<
  ToolDeclaration<Schema, RemoteMcpDeps, RemoteToolOutput>,
  'handler' | 'resources'
> & {
  /** The server's id in `GuardedAgent`'s `mcpServers` (where it is, and its credentials, are the deployment's). */
  readonly server: string;
  /** The tool's name on the server. @default the declared `name` */
  readonly remoteName?: string;
  /**
   * The remote definition this declaration was written against: `sha256:` and the hash
   * `npm run mcp:pin` prints. A remote tool that no longer hashes to it is not called.
   */
  readonly pinned: string;
  /** What the model gets at most (UTF-8 bytes, text and structured result together). @default 16384 */
  readonly maxResultBytes?: number;
};

/**
 * Declares one tool of a remote MCP server as a tool of this deployment, with every field a native
 * tool has (risk, roles, limits, timeout, breaker) and an input schema that may only tighten the
 * remote one. Its handler is a proxy: the guards run first, as for any tool; then it checks that
 * the server still lists the tool as pinned and that the declared schema fits it, forwards the
 * validated arguments, and caps what comes back. What a remote server answers could say anything,
 * and the arguments leave for another system: `output` defaults to `untrusted` and `reaches` to
 * `external` (override both only for a server the team runs and trusts). Remote tools that are not
 * declared are never offered.
 *
 * @example
 * export const searchDocs = defineMcpTool({
 *   name: 'search_docs',
 *   description: 'Search the product documentation. Returns the best matching passages as text.',
 *   server: 'docs',
 *   remoteName: 'search',
 *   pinned: 'sha256:9f2c…',
 *   input: z.strictObject({ query: boundedText({ description: 'What to look for.', max: 200 }) }),
 *   risk: 'read',
 *   limits: limitPresets.read,
 *   timeoutMs: 5000,
 *   breaker: defaultBreaker,
 * });
 */
export const defineMcpTool = <Schema extends ToolInputSchema>(
  declaration: McpToolDeclaration<Schema>,
): ToolDefinition<Schema, RemoteMcpDeps, RemoteToolOutput> => {
  const { server, remoteName = declaration.name, pinned, maxResultBytes = DEFAULT_MAX_RESULT_BYTES, ...tool } = declaration;
  const where = `Remote tool ${declaration.name}`;
  if (!MCP_SERVER_ID.test(server))
    throw new TypeError(`${where}: server must be an id of GuardedAgent's mcpServers (${MCP_SERVER_ID}), got ${JSON.stringify(server)}`);
  if (!PINNED_DEFINITION.test(pinned))
    throw new TypeError(`${where}: pinned must be sha256: and 64 hex digits, as npm run mcp:pin prints it, got ${JSON.stringify(pinned)}`);
  if (!Number.isInteger(maxResultBytes) || maxResultBytes < 256 || maxResultBytes > 1_048_576)
    throw new TypeError(`${where}: maxResultBytes must be a whole number from 256 to 1048576, got ${maxResultBytes}`);
  /** Why a listed definition may not be called (a changed pin, an unfit schema), or null when it may. */
  const refusalOf = (listed: RemoteToolDefinition): (() => Error) | null => {
    const now = remoteDefinitionHash(listed);
    if (now !== pinned)
      return () =>
        new RemoteToolChangedError(
          `${where}: ${remoteName} on server ${server} changed since it was declared (pinned ${pinned}, now ${now}); it is not called until its declaration is reviewed.`,
        );
    const issues = schemaFitIssues(declaration.input, listed);
    return issues.length > 0
      ? () => new RemoteToolUnfitError(`${where}: the declared schema does not fit ${remoteName}: ${issues.join('; ')}.`)
      : null;
  };
  const judged = new WeakMap<RemoteToolDefinition, (() => Error) | null>();
  return defineTool({
    output: 'untrusted',
    reaches: 'external',
    ...tool,
    resources: [{ kind: 'mcpServer', server, remoteName, pinned }],
    handler: async (input, { deps, signal }: ToolContext<RemoteMcpDeps>) => {
      const listed = await deps.remote.definition(remoteName, signal);
      if (!listed) throw new RemoteToolChangedError(`${where}: server ${server} no longer offers ${remoteName}; it is not called.`);
      // Judged once per listing (the client reuses one for a while), not on every call.
      let refusal = judged.get(listed);
      if (refusal === undefined) {
        refusal = refusalOf(listed);
        judged.set(listed, refusal);
      }
      if (refusal) throw refusal();
      const result = await deps.remote.call(remoteName, input as Record<string, unknown>, signal);
      if (result.isError) {
        // The remote tool's own refusal: the server is up, the request was wrong. Its text stays in
        // the logs (the error's cause): an error does not mark the run as carrying untrusted content,
        // so what another server wrote reaches the model only as a result, which does.
        const { text } = capRemoteResult(result, ERROR_TEXT_BYTES);
        throw new ToolDeclinedError(`${remoteName} on server ${server} answered with an error; its text is not passed on.`, {
          cause: new Error(text || '(no text)'),
        });
      }
      return capRemoteResult(result, maxResultBytes);
    },
  });
};
