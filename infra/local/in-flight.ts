import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts a client's requests under way, so that whoever owns an embedded engine can wait for
 * them before closing it. Closing dynalite under a pending request fails that request with
 * "Database is closed" after its caller has moved on: an unhandled error, not a test result.
 */
export const trackInFlight = (...clients: DynamoDBClient[]) => {
  const pending = new Set<Promise<unknown>>();
  const track = <C extends DynamoDBClient>(client: C): C => {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = next(args);
        pending.add(request);
        try {
          return await request;
        } finally {
          pending.delete(request);
        }
      },
      { step: 'initialize', name: 'trackInFlight', priority: 'high' },
    );
    return client;
  };
  for (const client of clients) track(client);
  return {
    track,
    /** Resolves once no request is under way (requests made meanwhile are waited for too). */
    settled: async (): Promise<void> => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
};
