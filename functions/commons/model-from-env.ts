import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { BedrockConverseProvider, type ModelProvider, OpenAiChatProvider } from '../../shared/model/index.ts';
import type { Env } from './env/env-var.ts';
import * as FunctionEnv from './env/function-env.ts';

/**
 * The configured model, read once at cold start:
 * - `MODEL_PROVIDER=bedrock` (default): `BEDROCK_MODEL_ID`.
 * - `MODEL_PROVIDER=openai-compatible`: `OPENAI_BASE_URL`, `OPENAI_MODEL`, and the API key from
 *   `OPENAI_API_KEY_SECRET_ARN` (a secret holding the bare key) or, locally, `OPENAI_API_KEY`;
 *   `OPENAI_TOKEN_LIMIT_FIELD` is `max_completion_tokens` (default) or `max_tokens` for older servers.
 */
export const modelFromEnv = async (env: Env = process.env, secrets?: Pick<SecretsManagerClient, 'send'>): Promise<ModelProvider> => {
  if (FunctionEnv.MODEL_PROVIDER.read(env) === 'bedrock')
    return new BedrockConverseProvider({ modelId: FunctionEnv.BEDROCK_MODEL_ID.read(env) });
  const baseUrl = FunctionEnv.OPENAI_BASE_URL.read(env);
  const model = FunctionEnv.OPENAI_MODEL.read(env);
  if (!baseUrl || !model) throw new Error('MODEL_PROVIDER=openai-compatible needs OPENAI_BASE_URL and OPENAI_MODEL');
  const tokenLimitField = FunctionEnv.OPENAI_TOKEN_LIMIT_FIELD.read(env);
  let apiKey = FunctionEnv.OPENAI_API_KEY.read(env);
  const keySecret = FunctionEnv.OPENAI_API_KEY_SECRET_ARN.read(env);
  if (keySecret) {
    const client = secrets ?? new SecretsManagerClient({});
    apiKey = (await client.send(new GetSecretValueCommand({ SecretId: keySecret }))).SecretString;
  }
  return new OpenAiChatProvider({ baseUrl, model, tokenLimitField, ...(apiKey ? { apiKey } : {}) });
};
