import type { ModelProvider, ModelRequest, ModelTurn } from './conversation.ts';
import { ModelProviderError, ModelResponseInvalidError, ModelThrottledError } from './errors.ts';
import { fromChatCompletionsResponse, toChatCompletionsRequest, type TokenLimitField } from './openai-chat.ts';

export interface OpenAiChatProviderOptions {
  /** e.g. `https://api.openai.com/v1` or a local server's `http://127.0.0.1:8080/v1` */
  readonly baseUrl: string;
  readonly model: string;
  /** Sent as a bearer token; never logged. */
  readonly apiKey?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Which field caps the answer's tokens: older servers know only `max_tokens`. @default 'max_completion_tokens' */
  readonly tokenLimitField?: TokenLimitField;
}

/** Any OpenAI-compatible Chat Completions server. */
export class OpenAiChatProvider implements ModelProvider {
  readonly name = 'openai-compatible';
  readonly model: string;
  readonly #options: OpenAiChatProviderOptions;

  constructor(options: OpenAiChatProviderOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) throw new TypeError('OpenAiChatProvider: baseUrl must be an http(s) URL');
    this.#options = options;
    this.model = options.model;
  }

  async converse(request: ModelRequest): Promise<ModelTurn> {
    const { baseUrl, model, apiKey, fetch: doFetch = globalThis.fetch, tokenLimitField } = this.#options;
    let response: Response;
    try {
      response = await doFetch(`${baseUrl.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify(toChatCompletionsRequest(model, request, undefined, tokenLimitField)),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } catch (error) {
      throw new ModelProviderError('The model server could not be reached.', undefined, { retryable: true, cause: error });
    }
    const body = await response.text();
    if (response.status === 429) throw new ModelThrottledError();
    if (!response.ok) {
      // The provider's own message may quote the request; keep only its error code.
      const code = (() => {
        try {
          return String((JSON.parse(body) as { error?: { code?: unknown; type?: unknown } }).error?.code ?? '');
        } catch {
          return '';
        }
      })();
      throw new ModelProviderError(`The model server answered HTTP ${response.status}${code ? ` (${code})` : ''}.`, response.status, {
        retryable: response.status >= 500,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      throw new ModelResponseInvalidError('The model server answered with something that is not JSON.', { cause: error });
    }
    return fromChatCompletionsResponse(parsed);
  }
}
