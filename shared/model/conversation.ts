import type { ModelToolSpec } from '../tool/index.ts';
import type { ToolResult } from '../tool-result/index.ts';

/** One call the model asked for. `arguments` is untrusted model output: it is only ever validated, never run. */
export interface ToolCallRequest {
  readonly id: string;
  readonly name: string;
  readonly arguments: unknown;
}

/** The provider-neutral conversation kept in DynamoDB and mapped to each provider's format. */
export type ConversationMessage =
  | { readonly role: 'user'; readonly text: string }
  | { readonly role: 'assistant'; readonly text?: string; readonly toolCalls: readonly ToolCallRequest[] }
  | { readonly role: 'tool'; readonly results: ReadonlyArray<{ readonly callId: string; readonly result: ToolResult }> };

/**
 * Why the model stopped its turn: it answered, asked for tools, ran out of tokens, or another
 * reason.
 */
export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'other';

/** What the model answered on one iteration. */
export interface ModelTurn {
  readonly text?: string;
  readonly toolCalls: readonly ToolCallRequest[];
  readonly stopReason: StopReason;
  readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
}

/**
 * One request to a model: the system prompt, the conversation, the tools offered, the answer's cap
 * and an abort signal.
 */
export interface ModelRequest {
  readonly system: string;
  readonly messages: readonly ConversationMessage[];
  /** Only the tools the caller's role may use, minus those whose breaker is open. */
  readonly tools: readonly ModelToolSpec[];
  readonly signal?: AbortSignal;
  /** The answer's token cap for this call (what a budget left room for). @default DEFAULT_MAX_ANSWER_TOKENS */
  readonly maxTokens?: number;
}

/** Every model provider behind one interface: Bedrock Converse, OpenAI-compatible, scripted. */
export interface ModelProvider {
  readonly name: string;
  /** The model asked (traces name the model call after it). @default the provider's name */
  readonly model?: string;
  /** One turn: the model's answer to the conversation so far, with the tools it asks for. */
  converse(request: ModelRequest): Promise<ModelTurn>;
}
