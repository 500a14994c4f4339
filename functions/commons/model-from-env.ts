import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  BedrockConverseProvider,
  type ModelProvider,
  OpenAiChatProvider,
  TOKEN_LIMIT_FIELDS,
  type TokenLimitField,
} from '../../shared/model/index.ts';
import { FunctionEnv } from './function-env.ts';

/**
 * The configured model, read once at cold start:
 * - `MODEL_PROVIDER=bedrock` (default): `BEDROCK_MODEL_ID`.
 * - `MODEL_PROVIDER=openai-compatible`: `OPENAI_BASE_URL`, `OPENAI_MODEL`, and the API key from
 *   `OPENAI_API_KEY_SECRET_ARN` (a secret holding the bare key) or, locally, `OPENAI_API_KEY`;
 *   `OPENAI_TOKEN_LIMIT_FIELD` is `max_completion_tokens` (default) or `max_tokens` for older servers.
 */
export const modelFromEnv = async (
  env: NodeJS.ProcessEnv = process.env,
  secrets?: Pick<SecretsManagerClient, 'send'>,
): Promise<ModelProvider> => {
  const read = (name: keyof typeof FunctionEnv): string | undefined => env[FunctionEnv[name]];
  const provider = read('MODEL_PROVIDER') ?? 'bedrock';
  if (provider === 'bedrock') {
    const modelId = read('BEDROCK_MODEL_ID');
    if (!modelId) throw new Error('Missing required environment variable BEDROCK_MODEL_ID');
    return new BedrockConverseProvider({ modelId });
  }
  if (provider === 'openai-compatible') {
    const baseUrl = read('OPENAI_BASE_URL');
    const model = read('OPENAI_MODEL');
    if (!baseUrl || !model) throw new Error('MODEL_PROVIDER=openai-compatible needs OPENAI_BASE_URL and OPENAI_MODEL');
    const tokenLimitField = (read('OPENAI_TOKEN_LIMIT_FIELD') ?? 'max_completion_tokens') as TokenLimitField;
    if (!TOKEN_LIMIT_FIELDS.includes(tokenLimitField))
      throw new Error(`OPENAI_TOKEN_LIMIT_FIELD must be ${TOKEN_LIMIT_FIELDS.join(' or ')}`);
    let apiKey = read('OPENAI_API_KEY');
    const keySecret = read('OPENAI_API_KEY_SECRET_ARN');
    if (keySecret) {
      const client = secrets ?? new SecretsManagerClient({});
      apiKey = (await client.send(new GetSecretValueCommand({ SecretId: keySecret }))).SecretString;
    }
    return new OpenAiChatProvider({ baseUrl, model, tokenLimitField, ...(apiKey ? { apiKey } : {}) });
  }
  throw new Error(`MODEL_PROVIDER must be bedrock or openai-compatible, not ${provider.slice(0, 40)}`);
};
