import { DEFAULT_MAX_ANSWER_TOKENS } from './model-call-ceiling.ts';
import type { ConversationMessage, ModelRequest, ModelTurn, StopReason, ToolCallRequest } from './conversation.ts';
import { ModelResponseInvalidError } from './errors.ts';

// The shapes of the Converse API (bedrock-runtime), written out so the mapping is pure and testable.
type ConverseContent =
  | { text: string }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: Array<{ json: unknown }>; status: 'success' | 'error' } };

export interface ConverseRequestBody {
  modelId: string;
  system: Array<{ text: string }>;
  messages: Array<{ role: 'user' | 'assistant'; content: ConverseContent[] }>;
  toolConfig?: { tools: Array<{ toolSpec: { name: string; description: string; inputSchema: { json: unknown } } }> };
  inferenceConfig?: { maxTokens?: number; temperature?: number };
}

const toContent = (message: ConversationMessage): { role: 'user' | 'assistant'; content: ConverseContent[] } => {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: [{ text: message.text }] };
    case 'assistant':
      return {
        role: 'assistant',
        content: [
          ...(message.text ? [{ text: message.text }] : []),
          ...message.toolCalls.map((call) => ({ toolUse: { toolUseId: call.id, name: call.name, input: call.arguments ?? {} } })),
        ],
      };
    case 'tool':
      // Tool results go back as a user turn of toolResult blocks; a failed call is `status: error`.
      return {
        role: 'user',
        content: message.results.map(({ callId, result }) => ({
          toolResult: {
            toolUseId: callId,
            content: [{ json: result.ok ? { data: result.data } : { error: result.error } }],
            status: result.ok ? 'success' : 'error',
          },
        })),
      };
  }
};

/** Our conversation and tool specs as a Converse request. Pure. */
export const toConverseRequest = (
  modelId: string,
  request: ModelRequest,
  inference: ConverseRequestBody['inferenceConfig'] = { maxTokens: request.maxTokens ?? DEFAULT_MAX_ANSWER_TOKENS },
): ConverseRequestBody => {
  // Converse wants strictly alternating roles: merge consecutive turns of the same role.
  const messages: ConverseRequestBody['messages'] = [];
  for (const message of request.messages.map(toContent)) {
    const last = messages.at(-1);
    if (last && last.role === message.role) last.content.push(...message.content);
    else messages.push({ role: message.role, content: [...message.content] });
  }
  return {
    modelId,
    system: [{ text: request.system }],
    messages,
    ...(request.tools.length > 0
      ? {
          toolConfig: {
            tools: request.tools.map((t) => ({
              toolSpec: { name: t.name, description: t.description, inputSchema: { json: t.inputSchema } },
            })),
          },
        }
      : {}),
    inferenceConfig: inference,
  };
};

const stopReasons: Record<string, StopReason> = { end_turn: 'end_turn', tool_use: 'tool_use', max_tokens: 'max_tokens' };

/** A Converse response as a model turn. Pure; anything unexpected is a `ModelResponseInvalidError`. */
export const fromConverseResponse = (response: unknown): ModelTurn => {
  const r = response as {
    output?: { message?: { role?: string; content?: unknown } };
    stopReason?: string;
    usage?: { inputTokens?: number; outputTokens?: number };
  };
  const content = r.output?.message?.content;
  if (!Array.isArray(content)) throw new ModelResponseInvalidError('Converse response has no output message content');
  const texts: string[] = [];
  const toolCalls: ToolCallRequest[] = [];
  for (const block of content as Array<Record<string, unknown>>) {
    if (typeof block.text === 'string') texts.push(block.text);
    const use = block.toolUse as { toolUseId?: unknown; name?: unknown; input?: unknown } | undefined;
    if (use) {
      if (typeof use.toolUseId !== 'string' || typeof use.name !== 'string')
        throw new ModelResponseInvalidError('Converse toolUse block without id or name');
      toolCalls.push({ id: use.toolUseId, name: use.name, arguments: use.input });
    }
  }
  return {
    ...(texts.length > 0 ? { text: texts.join('\n') } : {}),
    toolCalls,
    stopReason: stopReasons[r.stopReason ?? ''] ?? 'other',
    ...(r.usage ? { usage: { inputTokens: r.usage.inputTokens ?? 0, outputTokens: r.usage.outputTokens ?? 0 } } : {}),
  };
};
