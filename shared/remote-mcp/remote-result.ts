/** One content block of an MCP tool result, in the fields read here (text blocks carry `text`). */
export interface RemoteContentBlock {
  readonly type: string;
  readonly text?: string;
}

/** What a remote MCP server answers to `tools/call`, in the fields read here. */
export interface RemoteCallResult {
  readonly content?: readonly RemoteContentBlock[];
  readonly structuredContent?: Readonly<Record<string, unknown>>;
  readonly isError?: boolean;
}

/** What the model gets from a remote tool: its text, its structured result when it fits, and what was cut. */
export interface RemoteToolOutput {
  /** The text blocks, joined by blank lines, cut to fit. */
  readonly text: string;
  /** The structured result, when the server gave one and it fits in what is left. */
  readonly structured?: Readonly<Record<string, unknown>>;
  /** Something was cut or left out to stay within the tool's `maxResultBytes`. */
  readonly truncated: boolean;
  /** Blocks that are not text (images, audio, resources), left out: the model is told how many. */
  readonly omittedBlocks: number;
}

const utf8 = new TextEncoder();
const bytes = (text: string) => utf8.encode(text).length;

/** The longest prefix of `text` within `max` UTF-8 bytes, never splitting a character. */
const cutTo = (text: string, max: number): string => {
  if (bytes(text) <= max) return text;
  let end = Math.min(text.length, max);
  while (end > 0 && bytes(text.slice(0, end)) > max) end -= 1;
  // A lone high surrogate left at the end would be half a character.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1] ?? '')) end -= 1;
  return text.slice(0, end);
};

/**
 * A remote tool's result, capped at `maxBytes` (UTF-8, text and structured result together): what
 * another server sends is bounded before it reaches the model, the audit trail or the idempotency
 * record. Text comes first; the structured result is kept only whole, when it fits in the rest.
 *
 * @example
 * capRemoteResult({ content: [{ type: 'text', text: 'a'.repeat(100) }] }, 10); // { text: 'aaaaaaaaaa', truncated: true, omittedBlocks: 0 }
 */
export const capRemoteResult = (result: RemoteCallResult, maxBytes: number): RemoteToolOutput => {
  const blocks = result.content ?? [];
  const texts = blocks.filter((block) => block.type === 'text' && typeof block.text === 'string').map((block) => block.text as string);
  const joined = texts.join('\n\n');
  const text = cutTo(joined, maxBytes);
  const structuredText = result.structuredContent === undefined ? undefined : JSON.stringify(result.structuredContent);
  const fits = structuredText !== undefined && bytes(text) + bytes(structuredText) <= maxBytes;
  return {
    text,
    ...(fits ? { structured: result.structuredContent } : {}),
    truncated: text.length < joined.length || (structuredText !== undefined && !fits),
    omittedBlocks: blocks.length - texts.length,
  };
};
