import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Counts DynamoDB requests and sequential round trips through the client's middleware stack.
 * A round trip starts when a request is sent while none is in flight: requests sent together
 * (Promise.all) count as one.
 */
export const countRequests = (client: DynamoDBClient) => {
  const stats = { requests: 0, roundTrips: 0, inFlight: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      stats.requests++;
      if (stats.inFlight === 0) stats.roundTrips++;
      stats.inFlight++;
      try {
        return await next(args);
      } finally {
        stats.inFlight--;
      }
    },
    { step: 'finalizeRequest', name: 'benchRequestCounter' },
  );
  return {
    reset: () => Object.assign(stats, { requests: 0, roundTrips: 0 }),
    read: () => ({ requests: stats.requests, roundTrips: stats.roundTrips }),
  };
};
