import { BedrockRuntimeClient, ConverseCommand, type ConverseCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { fromConverseResponse, toConverseRequest } from './bedrock-converse.ts';
import type { ModelProvider, ModelRequest, ModelTurn } from './conversation.ts';
import { ModelProviderError, ModelThrottledError } from './errors.ts';

const THROTTLED = new Set(['ThrottlingException', 'ServiceQuotaExceededException', 'TooManyRequestsException']);
const RETRYABLE = new Set(['ServiceUnavailableException', 'InternalServerException', 'ModelTimeoutException', 'ModelNotReadyException']);

/** Amazon Bedrock through the Converse API; the SDK client is injected (tests, regions, retries). */
export class BedrockConverseProvider implements ModelProvider {
  readonly name = 'bedrock';
  readonly model: string;
  readonly #client: Pick<BedrockRuntimeClient, 'send'>;
  readonly #modelId: string;

  constructor(options: { modelId: string; client?: Pick<BedrockRuntimeClient, 'send'> }) {
    this.#modelId = options.modelId;
    this.model = options.modelId;
    this.#client = options.client ?? new BedrockRuntimeClient({});
  }

  async converse(request: ModelRequest): Promise<ModelTurn> {
    let response: unknown;
    try {
      response = await this.#client.send(new ConverseCommand(toConverseRequest(this.#modelId, request) as ConverseCommandInput), {
        abortSignal: request.signal,
      });
    } catch (error) {
      const name = error instanceof Error ? error.name : '';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (THROTTLED.has(name) || status === 429) throw new ModelThrottledError({ cause: error });
      throw new ModelProviderError(`Bedrock refused the request (${name || 'unknown error'}).`, status, {
        retryable: RETRYABLE.has(name),
        cause: error,
      });
    }
    return fromConverseResponse(response);
  }
}
