import { type DynamoDBClient, InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_FAULTS, type FaultPlan } from './fault-plan.ts';

/** What the SDK's HTTP handler throws when a request times out (the SDK retries it as transient). */
const timeout = (when: string) => Object.assign(new Error(`Simulated timeout ${when} the request took effect`), { name: 'TimeoutError' });

/**
 * Makes one function's DynamoDB client meet the plan's faults, at the innermost step (around the
 * HTTP request, inside the SDK's retries, as a real fault is): throttled (refused, nothing done), a
 * timeout before the request reached the table (nothing done), or a timeout after it took effect
 * (done, but the caller is told it failed). The SDK retries each as it retries the real one. And
 * the function's outage (`plan.outage`): from one of its requests on, every attempt fails with a 500.
 */
export const injectDynamoDbFaults = (
  functionName: string,
  client: DynamoDBClient,
  plan: Pick<FaultPlan, 'decide' | 'outage'>,
  /** Told of each request that took effect (whatever its caller is told next): the side effects as they land. */
  landed?: (command: string, input: unknown) => void,
): void => {
  // Once per request, outside the retries: whether the function's outage has begun.
  const down = new WeakSet<object>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (plan.outage(functionName)) down.add(context);
      return next(args);
    },
    { step: 'initialize', name: 'simulatedOutage' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (down.has(context)) throw new InternalServerError({ message: 'Simulated outage', $metadata: { httpStatusCode: 500 } });
      const command = String(context.commandName).replace(/Command$/, '');
      const fault = plan.decide(`${functionName}:${command}`, DYNAMODB_FAULTS);
      if (fault === 'throttled')
        throw new ProvisionedThroughputExceededException({ message: 'Simulated throttling', $metadata: { httpStatusCode: 400 } });
      if (fault === 'timeout-before') throw timeout('before');
      const out = await next(args);
      // Inside the deserializer, the answer is still the HTTP response: a refused write (a failed condition) is a 400.
      const status = (out.response as { statusCode?: number }).statusCode ?? 0;
      if (status >= 200 && status < 300) landed?.(command, args.input);
      if (fault === 'timeout-after') throw timeout('after');
      return out;
    },
    { step: 'deserialize', name: 'simulatedFaults', priority: 'low' },
  );
};
