import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A request the client sent: the command's name and its input. */
export interface SentRequest {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/**
 * Counts DynamoDB requests and sequential round trips through the client's middleware stack, and
 * notes what each asked for (`sent`: a strongly consistent read, say, which dynalite cannot show).
 * A round trip starts when a request is sent while none is in flight: requests sent together
 * (Promise.all) count as one.
 */
export const countRequests = (client: DynamoDBClient) => {
  const stats = { requests: 0, roundTrips: 0, inFlight: 0 };
  const sent: SentRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'testRequestRecorder' },
  );
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
    sent,
    reset: () => Object.assign(stats, { requests: 0, roundTrips: 0 }),
    read: () => ({ requests: stats.requests, roundTrips: stats.roundTrips }),
  };
};
