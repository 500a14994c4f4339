import { DEFAULT_MAX_ANSWER_TOKENS } from './model-call-ceiling.ts';
import type { ConversationMessage, ModelRequest, ModelTurn, StopReason, ToolCallRequest } from './conversation.ts';
import { ModelResponseInvalidError } from './errors.ts';

type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | {
      role: 'assistant';
      content: string | null;
      tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
    }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatCompletionsBody {
  model: string;
  messages: ChatMessage[];
  tools?: Array<{ type: 'function'; function: { name: string; description: string; parameters: unknown } }>;
  max_tokens?: number;
  max_completion_tokens?: number;
}

/**
 * The request field that caps the answer's tokens. OpenAI's current models refuse `max_tokens` in
 * favour of `max_completion_tokens`; some older OpenAI-compatible servers know only `max_tokens`.
 */
export type TokenLimitField = 'max_completion_tokens' | 'max_tokens';
export const TOKEN_LIMIT_FIELDS: readonly TokenLimitField[] = ['max_completion_tokens', 'max_tokens'];

const toMessages = (message: ConversationMessage): ChatMessage[] => {
  switch (message.role) {
    case 'user':
      return [{ role: 'user', content: message.text }];
    case 'assistant':
      return [
        {
          role: 'assistant',
          content: message.text ?? null,
          ...(message.toolCalls.length > 0
            ? {
                tool_calls: message.toolCalls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) },
                })),
              }
            : {}),
        },
      ];
    case 'tool':
      return message.results.map(({ callId, result }) => ({
        role: 'tool' as const,
        tool_call_id: callId,
        content: JSON.stringify(result),
      }));
  }
};

/** Our conversation and tool specs as a Chat Completions request. Pure. */
export const toChatCompletionsRequest = (
  model: string,
  request: ModelRequest,
  maxTokens = request.maxTokens ?? DEFAULT_MAX_ANSWER_TOKENS,
  tokenLimitField: TokenLimitField = 'max_completion_tokens',
): ChatCompletionsBody => ({
  model,
  messages: [{ role: 'system', content: request.system }, ...request.messages.flatMap(toMessages)],
  ...(request.tools.length > 0
    ? {
        tools: request.tools.map((t) => ({
          type: 'function' as const,
          function: { name: t.name, description: t.description, parameters: t.inputSchema },
        })),
      }
    : {}),
  [tokenLimitField]: maxTokens,
});

const stopReasons: Record<string, StopReason> = { stop: 'end_turn', tool_calls: 'tool_use', length: 'max_tokens' };

/**
 * A Chat Completions response as a model turn. Pure. Arguments arrive as a JSON string written by
 * the model: parsed with JSON.parse only (data, never code); text that is not JSON is kept as a
 * string so that schema validation rejects it with a clear error.
 */
export const fromChatCompletionsResponse = (response: unknown): ModelTurn => {
  const r = response as {
    choices?: Array<{ message?: { content?: unknown; tool_calls?: unknown }; finish_reason?: string }>;
    usage?: { prompt_tokens?: number; completion_tokens?: number };
  };
  const choice = r.choices?.[0];
  if (!choice?.message) throw new ModelResponseInvalidError('Chat Completions response has no choices[0].message');
  const toolCalls: ToolCallRequest[] = [];
  for (const call of (Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : []) as Array<{
    id?: unknown;
    function?: { name?: unknown; arguments?: unknown };
  }>) {
    if (typeof call.id !== 'string' || typeof call.function?.name !== 'string')
      throw new ModelResponseInvalidError('tool call without id or function name');
    const raw = call.function.arguments;
    let args: unknown = raw;
    if (typeof raw === 'string') {
      try {
        args = JSON.parse(raw);
      } catch {
        args = raw;
      }
    }
    toolCalls.push({ id: call.id, name: call.function.name, arguments: args });
  }
  const text = typeof choice.message.content === 'string' && choice.message.content.length > 0 ? choice.message.content : undefined;
  return {
    ...(text === undefined ? {} : { text }),
    toolCalls,
    stopReason: stopReasons[choice.finish_reason ?? ''] ?? 'other',
    ...(r.usage ? { usage: { inputTokens: r.usage.prompt_tokens ?? 0, outputTokens: r.usage.completion_tokens ?? 0 } } : {}),
  };
};
