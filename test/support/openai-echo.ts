import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible server on loopback whose model only echoes the user's question back, calling
 * no tool: what an answer check must catch. Answers in the shape of OpenAI's Chat Completions API
 * (as in test/fixtures/openai/chat-text.json).
 */
export const startOpenAiEcho = async () => {
  let n = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as { model: string; messages: Array<{ role: string; content?: unknown }> };
      const question = String(request.messages.findLast((m) => m.role === 'user')?.content ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-echo-${++n}`,
          object: 'chat.completion',
          created: 1764700000 + n,
          model: request.model,
          choices: [{ index: 0, message: { role: 'assistant', content: `You asked: ${question}` }, logprobs: null, finish_reason: 'stop' }],
          usage: { prompt_tokens: 600, completion_tokens: 12, total_tokens: 612 },
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
