import { type DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_FAULTS, type FaultPlan } from './fault-plan.ts';

/** What the SDK's HTTP handler throws when a request times out (the SDK retries it as transient). */
const timeout = (when: string) => Object.assign(new Error(`Simulated timeout ${when} the request took effect`), { name: 'TimeoutError' });

/**
 * Makes one function's DynamoDB client meet the plan's faults, at the innermost step (around the
 * HTTP request, inside the SDK's retries, as a real fault is): throttled (refused, nothing done), a
 * timeout before the request reached the table (nothing done), or a timeout after it took effect
 * (done, but the caller is told it failed). The SDK retries each as it retries the real one.
 */
export const injectDynamoDbFaults = (
  functionName: string,
  client: DynamoDBClient,
  plan: Pick<FaultPlan, 'decide'>,
  /** Told of each request that took effect (whatever its caller is told next): the side effects as they land. */
  landed?: (command: string, input: unknown) => void,
): void => {
  client.middlewareStack.add(
    (next, context) => async (args) => {
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
