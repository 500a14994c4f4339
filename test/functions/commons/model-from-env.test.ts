import { describe, expect, it } from 'vitest';
import { modelFromEnv } from '#functions/commons/model-from-env.ts';

describe('modelFromEnv', () => {
  it('defaults to Bedrock with the configured model', async () => {
    expect((await modelFromEnv({ BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0' })).name).toBe('bedrock');
  });
  it('builds the OpenAI-compatible provider, with the key from Secrets Manager', async () => {
    const asked: unknown[] = [];
    const secrets = { send: async (command: { input: unknown }) => (asked.push(command.input), { SecretString: 'sk-from-secret' }) };
    const model = await modelFromEnv(
      {
        MODEL_PROVIDER: 'openai-compatible',
        OPENAI_BASE_URL: 'https://models.example.com/v1',
        OPENAI_MODEL: 'm',
        OPENAI_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:1:secret:k',
      },
      secrets as never,
    );
    expect(model.name).toBe('openai-compatible');
    expect(asked).toEqual([{ SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:k' }]);
  });
  it('fails the cold start with what is missing', async () => {
    await expect(modelFromEnv({})).rejects.toThrow('BEDROCK_MODEL_ID');
    await expect(modelFromEnv({ MODEL_PROVIDER: 'openai-compatible' })).rejects.toThrow('OPENAI_BASE_URL and OPENAI_MODEL');
    await expect(modelFromEnv({ MODEL_PROVIDER: 'gpt' })).rejects.toThrow('bedrock or openai-compatible');
  });
});
