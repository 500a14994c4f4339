import { randomUUID } from 'node:crypto';
import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { boundedText } from '#shared/argument-types/index.ts';
import { defineTool } from '#shared/tool/index.ts';

export interface CrashToolDeps {
  readonly client: DynamoDBClient;
  /** Where each execution of the handler leaves its mark (its side effect). */
  readonly effects: string;
  /** Called right after the side effect (the crash test kills its process here). */
  readonly afterEffect?: () => void;
}

/**
 * A write tool whose side effect is one item per execution in the `effects` table, so a test can
 * count how often the handler's effect happened, whatever the audit trail says.
 */
export const crashTool = defineTool({
  name: 'record_note',
  description: 'Record a short note for the crash tests. Returns the note id.',
  input: z.strictObject({ text: boundedText({ description: 'The note, plain words. Max 50 characters.', max: 50 }) }),
  risk: 'write',
  limits: { perUser: { capacity: 100, refillPerMinute: 1 }, perTool: { capacity: 1000, refillPerMinute: 1 } },
  timeoutMs: 2000,
  breaker: { failureThreshold: 3, windowMs: 60_000, cooldownMs: 60_000 },
  handler: async ({ text }, { runId, callId, deps }: { runId: string; callId: string; deps: CrashToolDeps }) => {
    // No long digit runs (a timestamp can pass the card-number check of the redaction).
    const noteId = `${runId}.${callId}.${randomUUID().slice(0, 8)}`;
    await deps.client.send(new PutItemCommand({ TableName: deps.effects, Item: { pk: { S: noteId }, text: { S: text } } }));
    deps.afterEffect?.();
    return { noteId };
  },
});

/** How long the tool's idempotency claim holds (createGuardedHandler's lockMs with its default reserve). */
export const CRASH_TOOL_LOCK_MS = crashTool.timeoutMs + 1000 + 5000;
