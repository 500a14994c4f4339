import type { ModelRequest } from './conversation.ts';

/** The answer's token cap a model call gets when no budget asks for less (each provider's request carries it). */
export const DEFAULT_MAX_ANSWER_TOKENS = 2048;

/**
 * Below this an answer is too short to be of use (a tool call's arguments alone can need it):
 * a call that can only be given less is not made.
 */
export const MIN_ANSWER_TOKENS = 256;

/**
 * Tokens a provider adds to a prompt beyond the text it is given: the chat template's tokens per
 * message, and the system prompt a provider adds for tool use (Anthropic documents some 300 to
 * 500 tokens for it on Claude). Counted on top of the bound below.
 */
export const PROMPT_OVERHEAD_TOKENS = 1024;

/**
 * An upper bound on a request's prompt tokens, without a tokenizer: the UTF-8 bytes of everything
 * the request sends (system prompt, conversation, tool specs, as JSON), plus the provider's own
 * overhead. The byte-level BPE tokenizers of the models behind Bedrock Converse and OpenAI-compatible
 * servers never make a token of less than one byte, so a prompt has at most as many tokens as
 * bytes; the bound is generous (text runs about 4 bytes a token), and a model call is settled to
 * what the provider reports once it answers. Pure.
 *
 * @example
 * promptTokenBound({ system: 'Be brief.', messages: [{ role: 'user', text: 'Hi' }], tools: [] }); // 1024 + the JSON's bytes
 */
export const promptTokenBound = (request: Pick<ModelRequest, 'system' | 'messages' | 'tools'>): number =>
  Buffer.byteLength(JSON.stringify({ system: request.system, messages: request.messages, tools: request.tools })) + PROMPT_OVERHEAD_TOKENS;
