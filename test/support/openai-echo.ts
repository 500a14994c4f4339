import { startOpenAiFake } from './openai-fake.ts';

/** An OpenAI-compatible model that only echoes the user's question back, calling no tool: what an answer check must catch. */
export const startOpenAiEcho = () =>
  startOpenAiFake((request) => ({
    content: `You asked: ${String(request.messages.findLast((m) => m.role === 'user')?.content ?? '')}`,
    promptTokens: 600,
    completionTokens: 12,
  }));
