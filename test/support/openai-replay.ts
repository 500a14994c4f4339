import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Conversation {
  readonly exchanges: ReadonlyArray<{ readonly prompt: string; readonly turns: readonly unknown[] }>;
}

/**
 * An OpenAI-compatible server on loopback that replays a recorded conversation: for a request, the
 * exchange whose prompt is the request's first user message, and in it the turn after as many
 * assistant messages as the request holds. Anything else gets OpenAI's error shape (400).
 */
export const startOpenAiReplay = async (file: string) => {
  const conversation = JSON.parse(readFileSync(file, 'utf8')) as Conversation;
  const requests: Array<{ model: string; messages: Array<{ role: string; content?: unknown }> }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = JSON.parse(body) as (typeof requests)[number];
      requests.push(request);
      const prompt = request.messages.find((m) => m.role === 'user')?.content;
      const turn = conversation.exchanges.find((e) => e.prompt === prompt)?.turns[
        request.messages.filter((m) => m.role === 'assistant').length
      ];
      res.writeHead(turn ? 200 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          turn ?? { error: { message: 'No recorded turn for this request.', type: 'invalid_request_error', param: null, code: null } },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
