import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible server on loopback whose model answers in text and reports its usage as a
 * real one would: prompt tokens at about 4 bytes a token of what it was sent, and an answer of
 * `answerTokens`, never more than the request's `max_completion_tokens`. In the shape of OpenAI's
 * Chat Completions API (as in test/fixtures/openai/chat-text.json).
 */
export const startOpenAiUsage = async (answerTokens: number) => {
  let n = 0;
  const reported: Array<{ prompt: number; completion: number; cap: number }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as { model: string; max_completion_tokens?: number; max_tokens?: number };
      const cap = request.max_completion_tokens ?? request.max_tokens ?? Number.POSITIVE_INFINITY;
      const prompt = Math.ceil(Buffer.byteLength(body) / 4);
      const completion = Math.min(answerTokens, cap);
      reported.push({ prompt, completion, cap });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-usage-${++n}`,
          object: 'chat.completion',
          created: 1764800000 + n,
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'Here is your answer.' }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    reported,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
