import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake model answers to one request: its text, and the usage it reports. */
export interface FakeAnswer {
  readonly content: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/**
 * An OpenAI-compatible server on loopback whose model answers each request in text, as `answer`
 * says, in the shape of OpenAI's Chat Completions API (as in test/fixtures/openai/chat-text.json).
 */
export const startOpenAiFake = async (
  answer: (
    request: { model: string; messages: Array<{ role: string; content?: unknown }>; [field: string]: unknown },
    raw: string,
  ) => FakeAnswer,
) => {
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as Parameters<typeof answer>[0];
      const { content, promptTokens, completionTokens } = answer(request, body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-fake-${++n}`,
          object: 'chat.completion',
          created: 1764700000 + n,
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
