import { hashCanonical } from '../canonical-json/index.ts';

/**
 * A tool as a remote MCP server lists it (`tools/list`), in the fields this package reads. The
 * rest of what the server says about the tool (title, annotations, output schema, icons) is kept
 * as it came, so the definition's hash covers it too.
 */
export interface RemoteToolDefinition {
  readonly name: string;
  readonly description?: string;
  readonly inputSchema: {
    readonly type: 'object';
    readonly properties?: Readonly<Record<string, unknown>>;
    readonly required?: readonly string[];
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** How a pinned definition is written in a declaration: `sha256:` and 64 hex digits. */
export const PINNED_DEFINITION = /^sha256:[0-9a-f]{64}$/;

/**
 * The hash a declaration pins a remote tool's definition to: SHA-256 of its canonical JSON, every
 * field but `_meta` (which servers may fill per listing). A remote tool whose name, description,
 * schemas or annotations change after it was declared hashes differently, and is not called until
 * its declaration is looked at again (`npm run mcp:pin` prints the new hash and what changed).
 *
 * @example
 * remoteDefinitionHash({ name: 'search', description: 'Search the docs.', inputSchema: { type: 'object' } });
 * // 'sha256:4c2d…'
 */
export const remoteDefinitionHash = (tool: RemoteToolDefinition): string => {
  const { _meta: _ignored, ...definition } = tool;
  return `sha256:${hashCanonical(definition)}`;
};
