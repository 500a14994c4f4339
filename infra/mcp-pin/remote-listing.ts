import { remoteDefinitionHash, type RemoteToolDefinition } from '../../shared/remote-mcp/index.ts';

/** One remote tool as `npm run mcp:pin` prints it: what a declaration pins, and what its schema may tighten. */
export interface PinnedListing {
  readonly remoteName: string;
  readonly pinned: string;
  readonly description: string;
  /** Each argument with its JSON Schema type, `?` when optional. */
  readonly arguments: readonly string[];
  readonly annotations?: unknown;
}

const typeOf = (schema: unknown): string => {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return Array.isArray(type) ? type.join('|') : typeof type === 'string' ? type : 'any';
};

/** The listing of a server's tools for a person about to declare some (sorted by name, so two listings diff cleanly). */
export const pinnedListing = (tools: readonly RemoteToolDefinition[]): PinnedListing[] =>
  [...tools]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((tool) => {
      const required = new Set(tool.inputSchema.required ?? []);
      return {
        remoteName: tool.name,
        pinned: remoteDefinitionHash(tool),
        description: tool.description ?? '',
        arguments: Object.entries(tool.inputSchema.properties ?? {}).map(
          ([name, schema]) => `${name}${required.has(name) ? '' : '?'}: ${typeOf(schema)}`,
        ),
        ...(tool.annotations === undefined ? {} : { annotations: tool.annotations }),
      };
    });

/** The listing as text: one block per tool, ready to copy the pin from. */
export const listingText = (url: string, listing: readonly PinnedListing[]): string =>
  [
    `${url}: ${listing.length} tool(s). Declare the ones the agent may use with defineMcpTool (remoteName, pinned), tightening their arguments.`,
    ...listing.map((tool) =>
      [
        '',
        `${tool.remoteName}`,
        `  pinned: '${tool.pinned}'`,
        `  description: ${JSON.stringify(tool.description)}`,
        `  arguments: ${tool.arguments.join(', ') || 'none'}`,
        ...(tool.annotations === undefined ? [] : [`  annotations: ${JSON.stringify(tool.annotations)}`]),
      ].join('\n'),
    ),
    '',
  ].join('\n');
