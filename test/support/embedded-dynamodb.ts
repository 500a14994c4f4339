import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynalite } from '../../infra/local/patched-dynalite.ts';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { EMBEDDED_CREDENTIALS, embeddedClientConfig } from '../../infra/local/embedded-aws.ts';
import { trackInFlight } from '../../infra/local/in-flight.ts';
import { giveItemOnConditionFailure } from '../../infra/local/condition-failure-item.ts';

export interface EmbeddedDynamoDb {
  readonly client: DynamoDBClient;
  readonly endpoint: string;
  /** Which engine answers: dynalite in-process, or DynamoDB Local when DYNAMODB_ENDPOINT points at one. */
  readonly engine: 'dynalite' | 'external';
  stop(): Promise<void>;
}

/**
 * The DynamoDB the tests run against: dynalite started in this process, or, when
 * `DYNAMODB_ENDPOINT` is set (CI runs the store suites again on DynamoDB Local), that endpoint.
 * Either way the stores under test are the production ones, talking over HTTP.
 */
export const startEmbeddedDynamoDb = async (): Promise<EmbeddedDynamoDb> => {
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external) {
    const client = createDynamoDbClient(embeddedClientConfig(external));
    const inFlight = trackInFlight(client);
    return { client, endpoint: external, engine: 'external', stop: async () => (await inFlight.settled(), client.destroy()) };
  }
  // DynamoDB's answer to a failed condition, which dynalite lacks (infra/local/condition-failure-item.ts).
  giveItemOnConditionFailure();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // A loaded machine answers late, not never: the tests' clients wait as long as that takes.
  const client = createDynamoDbClient(embeddedClientConfig(endpoint));
  const inFlight = trackInFlight(client);
  return {
    client,
    endpoint,
    engine: 'dynalite',
    stop: async () => {
      // Requests still under way finish before the engine closes under them.
      await inFlight.settled();
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** A client for an address where nothing listens: DynamoDB "unreachable". */
export const unreachableDynamoDb = (): DynamoDBClient =>
  createDynamoDbClient({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: EMBEDDED_CREDENTIALS });

let counter = 0;
/** A table-name prefix unique to one test, so tests never see each other's rows. */
export const uniquePrefix = (label = 't'): string => `${label}${process.pid}x${Date.now().toString(36)}x${(counter++).toString(36)}-`;
