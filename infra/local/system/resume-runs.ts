import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbIdempotencyStore, idempotencyKey } from '../../../shared/idempotency/index.ts';
import { DynamoDbRunStore } from '../../../shared/runs/index.ts';
import type { LocalTables } from './data-services.ts';

/**
 * Step 7: what a crash or a stop left unfinished resumes from its last saved step. CallModel
 * answers a step it already took from the store, and tools are idempotent on (run, call), so
 * nothing runs twice. The calls in flight died with the process that ran them: their claims are
 * abandoned now, so the resumed attempts take them over at once (and record the dead attempts)
 * instead of waiting. Returns the runs resumed.
 */
export const resumeUnfinished = async (
  platformClient: DynamoDBClient,
  { tables, runsTable }: Pick<LocalTables, 'tables' | 'runsTable'>,
  startExecution: (runId: string, iteration?: number) => Promise<void>,
): Promise<string[]> => {
  const runs = new DynamoDbRunStore({ client: platformClient, tableName: runsTable });
  const unfinished = await runs.listUnfinished();
  const claims = new DynamoDbIdempotencyStore({ client: platformClient, tableName: tables.idempotency });
  for (const run of unfinished) {
    const calls = (await runs.load(run.runId))?.calls ?? [];
    for (const call of calls.filter((c) => c.iteration === run.iteration))
      await claims.abandon(idempotencyKey(call.tool, run.runId, call.callId));
  }
  for (const run of unfinished) await startExecution(run.runId, run.iteration === 0 ? undefined : run.iteration - 1);
  return unfinished.map((run) => run.runId);
};
