import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A request a store sent: the command's name and its input. */
export interface SentRequest {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/**
 * The real (embedded) engine behind a client that notes each request, so a store's test can say how
 * many it made and what they asked for (a strongly consistent read, say, which dynalite cannot show).
 */
export const recordingClient = (client: DynamoDBClient): { readonly client: DynamoDBClient; readonly sent: SentRequest[] } => {
  const sent: SentRequest[] = [];
  const recording = {
    send: (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ command: command.constructor.name, input: command.input });
      return client.send(command as unknown as Parameters<DynamoDBClient['send']>[0]);
    },
  };
  return { client: recording as unknown as DynamoDBClient, sent };
};
