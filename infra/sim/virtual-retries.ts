import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** What the SDK's retry middleware asks of a retry strategy, and of the token it hands back. */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
  getRetryCost(): number | undefined;
}
interface RetryErrorInfo {
  readonly errorType: string;
}

/** The SDK's standard retry mode's base pauses (its throttling pause is longer), in milliseconds. */
const BASE_PAUSE_MS = { THROTTLING: 500, TRANSIENT: 100 } as const;

/**
 * Gives a client the SDK's standard retry decisions with the pauses taken in virtual time: it retries
 * what the standard mode retries (throttling and transient errors, such as a timeout), as many
 * attempts as the client is configured for, but tells `onPause` how long the SDK would have waited
 * (its backoff, without the jitter) instead of sleeping. A seed's requests then take the same path
 * and as many attempts as on AWS, in milliseconds. The standard mode's retry quota is left out: at
 * a simulation's fault rate a client never drains it.
 */
export const virtualRetryPauses = (client: DynamoDBClient, onPause: (ms: number) => void): void => {
  const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 0, getRetryCost: () => undefined });
  const strategy = {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const attempts = previous.getRetryCount() + 1;
      const base = BASE_PAUSE_MS[info.errorType as keyof typeof BASE_PAUSE_MS];
      if (base === undefined || attempts >= (await client.config.maxAttempts())) throw new Error('No retry token available');
      onPause(base * 2 ** (attempts - 1));
      return token(attempts);
    },
    recordSuccess: () => undefined,
  };
  client.config.retryStrategy = async () => strategy;
};
