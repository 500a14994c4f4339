import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BedrockConverseProvider } from '#shared/model/bedrock-converse-provider.ts';
import { fromConverseResponse, toConverseRequest } from '#shared/model/bedrock-converse.ts';
import type { ConversationMessage, ModelRequest } from '#shared/model/conversation.ts';
import { ModelProviderError, ModelResponseInvalidError, ModelThrottledError, ScriptExhaustedError } from '#shared/model/errors.ts';
import { OpenAiChatProvider } from '#shared/model/openai-chat-provider.ts';
import { fromChatCompletionsResponse, toChatCompletionsRequest } from '#shared/model/openai-chat.ts';
import { modelFromEnv } from '#functions/commons/model-from-env.ts';
import { modelScriptSchema, ScriptedModel } from '#shared/model/scripted-model.ts';
import { toolSpec } from '#shared/tool/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import * as z from 'zod/mini';

const fixture = (path: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures', path), 'utf8'));

const conversation: ConversationMessage[] = [
  { role: 'user', text: 'Where is ORD-104231, and can I return it?' },
  {
    role: 'assistant',
    text: 'Checking.',
    toolCalls: [
      { id: 't1', name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
      { id: 't2', name: 'delete_document', arguments: { path: 'x' } },
    ],
  },
  {
    role: 'tool',
    results: [
      { callId: 't1', result: { ok: true, data: { status: 'SHIPPED' } } },
      { callId: 't2', result: { ok: false, error: { code: 'PERMISSION_DENIED', message: 'no', suggestion: 's', retryable: false } } },
    ],
  },
];
const request: ModelRequest = {
  system: 'You are a support agent.',
  messages: conversation,
  tools: [toolSpec(toolCatalog.resolve('lookup_order')!)],
};

describe('Bedrock Converse adapter', () => {
  it('builds a Converse request: tool specs from the zod schemas, results as toolResult blocks, error results flagged', () => {
    const body = toConverseRequest('anthropic.claude-3-5-sonnet', request);
    expect(body.system).toEqual([{ text: 'You are a support agent.' }]);
    expect(body.toolConfig?.tools[0]?.toolSpec).toMatchObject({
      name: 'lookup_order',
      inputSchema: { json: { type: 'object', additionalProperties: false } },
    });
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[1]?.content).toEqual([
      { text: 'Checking.' },
      { toolUse: { toolUseId: 't1', name: 'lookup_order', input: { orderId: 'ORD-104231' } } },
      { toolUse: { toolUseId: 't2', name: 'delete_document', input: { path: 'x' } } },
    ]);
    expect(body.messages[2]?.content).toEqual([
      { toolResult: { toolUseId: 't1', content: [{ json: { data: { status: 'SHIPPED' } } }], status: 'success' } },
      {
        toolResult: {
          toolUseId: 't2',
          content: [{ json: { error: { code: 'PERMISSION_DENIED', message: 'no', suggestion: 's', retryable: false } } }],
          status: 'error',
        },
      },
    ]);
  });

  it('merges consecutive turns of one role, as Converse requires alternation', () => {
    const body = toConverseRequest('m', { ...request, messages: [...conversation, { role: 'user', text: 'and?' }] });
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(body.messages[2]?.content.at(-1)).toEqual({ text: 'and?' });
  });

  it('reads a text answer, a tool use and parallel tool uses', () => {
    expect(fromConverseResponse(fixture('bedrock/converse-text.json'))).toEqual({
      text: 'Orders can be returned within 30 days of delivery.',
      toolCalls: [],
      stopReason: 'end_turn',
      usage: { inputTokens: 125, outputTokens: 60 },
    });
    expect(fromConverseResponse(fixture('bedrock/converse-tool-use.json'))).toMatchObject({
      text: "I'll look up that order for you.",
      stopReason: 'tool_use',
      toolCalls: [{ id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }],
    });
    expect(fromConverseResponse(fixture('bedrock/converse-parallel-tool-use.json')).toolCalls.map((c) => c.name)).toEqual([
      'lookup_order',
      'search_knowledge_base',
    ]);
  });

  it('refuses a response without output', () => {
    expect(() => fromConverseResponse({ stopReason: 'end_turn' })).toThrow(ModelResponseInvalidError);
  });

  it('maps throttling to a retryable error and other refusals to provider errors', async () => {
    const failing = (shape: unknown) =>
      new BedrockConverseProvider({
        modelId: 'm',
        client: {
          send: async () => {
            throw Object.assign(new Error(String((shape as { message: string }).message)), shape);
          },
        } as never,
      });
    await expect(failing(fixture('bedrock/throttling-exception.json')).converse(request)).rejects.toBeInstanceOf(ModelThrottledError);
    await expect(failing(fixture('bedrock/validation-exception.json')).converse(request)).rejects.toMatchObject({
      name: 'ModelProviderError',
      status: 400,
      retryable: false,
    });
    const ok = new BedrockConverseProvider({
      modelId: 'm',
      client: { send: async () => fixture('bedrock/converse-tool-use.json') } as never,
    });
    expect((await ok.converse(request)).toolCalls).toHaveLength(1);
  });
});

describe('OpenAI-compatible adapter', () => {
  it('builds a Chat Completions request with function tools and tool messages', () => {
    const body = toChatCompletionsRequest('gpt-4o-mini', request);
    expect(body.messages[0]).toEqual({ role: 'system', content: 'You are a support agent.' });
    expect(body.tools?.[0]).toMatchObject({ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } });
    expect(body.messages[2]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 't1', function: { name: 'lookup_order', arguments: '{"orderId":"ORD-104231"}' } }, { id: 't2' }],
    });
    expect(body.messages.slice(3).map((m) => m.role)).toEqual(['tool', 'tool']);
  });

  it('caps the answer with max_completion_tokens (newer models refuse max_tokens), or max_tokens when configured for an older server', async () => {
    expect(toChatCompletionsRequest('gpt-5-mini', request)).toMatchObject({ max_completion_tokens: 2048 });
    // A budget's smaller cap for this call is what the request carries.
    expect(toChatCompletionsRequest('gpt-5-mini', { ...request, maxTokens: 700 })).toMatchObject({ max_completion_tokens: 700 });
    expect(toConverseRequest('model', { ...request, maxTokens: 700 }).inferenceConfig).toEqual({ maxTokens: 700 });
    expect('max_tokens' in toChatCompletionsRequest('gpt-5-mini', request)).toBe(false);
    const sent: unknown[] = [];
    const recording = (async (_url: string | URL | Request, init?: RequestInit) => (
      sent.push(JSON.parse(String(init?.body))),
      new Response(JSON.stringify(fixture('openai/chat-text.json')))
    )) as typeof fetch;
    await new OpenAiChatProvider({
      baseUrl: 'http://127.0.0.1:1/v1',
      model: 'llama',
      fetch: recording,
      tokenLimitField: 'max_tokens',
    }).converse(request);
    expect(sent[0]).toMatchObject({ max_tokens: 2048 });
    expect('max_completion_tokens' in (sent[0] as object)).toBe(false);
    await expect(
      modelFromEnv({
        MODEL_PROVIDER: 'openai-compatible',
        OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
        OPENAI_MODEL: 'm',
        OPENAI_TOKEN_LIMIT_FIELD: 'maxTokens',
      }),
    ).rejects.toThrow(/max_completion_tokens or max_tokens/);
  });

  it('reads a text answer, a tool call and parallel tool calls; arguments that are not JSON stay text for the schema to refuse', () => {
    expect(fromChatCompletionsResponse(fixture('openai/chat-text.json'))).toMatchObject({
      text: 'Orders can be returned within 30 days of delivery.',
      toolCalls: [],
      stopReason: 'end_turn',
    });
    expect(fromChatCompletionsResponse(fixture('openai/chat-tool-call.json'))).toMatchObject({
      stopReason: 'tool_use',
      toolCalls: [{ id: 'call_abc123', name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }],
    });
    const parallel = fromChatCompletionsResponse(fixture('openai/chat-parallel-tool-calls.json'));
    expect(parallel.toolCalls.map((c) => c.arguments)).toEqual([
      { orderId: 'ORD-104231' },
      { query: 'return policy' },
      '{"query": "refund',
    ]);
  });

  it('sends the key as a bearer token and maps 429 and errors without echoing the provider message', async () => {
    const seen: RequestInit[] = [];
    const answer = (status: number, body: unknown) =>
      (async (_url: string | URL | Request, init?: RequestInit) => (
        seen.push(init ?? {}),
        new Response(JSON.stringify(body), { status })
      )) as typeof fetch;
    const provider = (status: number, body: unknown) =>
      new OpenAiChatProvider({
        baseUrl: 'https://models.example.com/v1/',
        model: 'gpt-4o-mini',
        apiKey: 'sk-test',
        fetch: answer(status, body),
      });
    expect((await provider(200, fixture('openai/chat-tool-call.json')).converse(request)).toolCalls[0]?.name).toBe('lookup_order');
    expect(new Headers(seen[0]?.headers).get('authorization')).toBe('Bearer sk-test');
    await expect(provider(429, fixture('openai/error-rate-limit.json')).converse(request)).rejects.toBeInstanceOf(ModelThrottledError);
    const refused = await provider(401, fixture('openai/error-invalid-key.json'))
      .converse(request)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelProviderError);
    expect((refused as Error).message).toBe('The model server answered HTTP 401 (invalid_api_key).');
    await expect(provider(503, {}).converse(request)).rejects.toMatchObject({ retryable: true });
  });
});

describe('ScriptedModel', () => {
  const script = z.parse(modelScriptSchema, {
    provider: 'scripted',
    turns: [{ toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }] }, { text: 'It shipped.' }],
  });
  it('answers each iteration with its turn and gives each call an id', async () => {
    const model = new ScriptedModel(script);
    expect(await model.converse({ ...request, messages: [{ role: 'user', text: 'hi' }] })).toEqual({
      toolCalls: [{ id: 'call-1-1', name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }],
      stopReason: 'tool_use',
    });
    expect(await model.converse(request)).toEqual({ text: 'It shipped.', toolCalls: [], stopReason: 'end_turn' });
  });
  it('fails clearly when the script runs out', async () => {
    await expect(new ScriptedModel(script).converse({ ...request, messages: [...conversation, conversation[1]!] })).rejects.toBeInstanceOf(
      ScriptExhaustedError,
    );
  });
  it('refuses scripts that are not of the documented shape', () => {
    for (const bad of [
      { provider: 'bedrock', turns: [{ text: 'x' }] },
      { provider: 'scripted', turns: [] },
      { provider: 'scripted', turns: [{ toolCalls: [] }] },
      { provider: 'scripted', turns: [{ text: 'x', extra: 1 }] },
    ]) {
      expect(z.safeParse(modelScriptSchema, bad).success).toBe(false);
    }
  });
});
