import { startOpenAiFake } from './openai-fake.ts';

/**
 * An OpenAI-compatible model that answers in text and reports its usage as a real one would:
 * prompt tokens at about 4 bytes a token of what it was sent, and an answer of `answerTokens`,
 * never more than the request's `max_completion_tokens`.
 */
export const startOpenAiUsage = async (answerTokens: number) => {
  const reported: Array<{ prompt: number; completion: number; cap: number }> = [];
  const fake = await startOpenAiFake((request, raw) => {
    const cap = Number(request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY);
    const prompt = Math.ceil(Buffer.byteLength(raw) / 4);
    const completion = Math.min(answerTokens, cap);
    reported.push({ prompt, completion, cap });
    return { content: 'Here is your answer.', promptTokens: prompt, completionTokens: completion };
  });
  return { ...fake, reported };
};
