import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditStore, verifyChain } from '../../shared/audit/index.ts';
import { type RunSnapshot, TERMINAL_STATUSES } from '../../shared/runs/index.ts';
import { CallStatus } from '../../shared/tool-result/index.ts';
import type { DemoSystem } from '../local/demo-app.ts';

/** A run as the invariants compare it: its record and its calls, as stored. */
const stateOf = (snapshot: RunSnapshot | undefined) => JSON.stringify(snapshot ? { run: snapshot.run, calls: snapshot.calls } : null);

/** The tickets a run created (the demo's side effect whose count is checked). */
const ticketsOf = async (system: DemoSystem, runId: string): Promise<number> => {
  const out = await system.client.send(new ScanCommand({ TableName: system.dataTables.tickets }));
  return (out.Items ?? []).filter((item) => (JSON.parse(item.ticket?.S ?? '{}') as { runId?: string }).runId === runId).length;
};

/**
 * What must hold after a seed, whatever faults it met (each broken one is a sentence):
 * - the run ended in a final state;
 * - a side effect happened at most once per call, and exactly once for a call the run says ran;
 * - every call the run says ran has its audit record, and the run's hash chain verifies;
 * - a finished run does not change afterwards.
 */
export const invariantsAfter = async (system: DemoSystem, runId: string, settle: () => Promise<void>): Promise<string[]> => {
  const broken: string[] = [];
  const snapshot = await system.runs.load(runId);
  if (!snapshot) return ['the run record is gone'];
  const { run, calls } = snapshot;
  const ended = TERMINAL_STATUSES.has(run.status);
  if (!ended) broken.push(`the run is left ${run.status}, not in a final state`);

  const ticketCalls = calls.filter((c) => c.tool === 'create_ticket');
  const tickets = await ticketsOf(system, runId);
  if (tickets > ticketCalls.length) broken.push(`${tickets} tickets for ${ticketCalls.length} create_ticket calls: a side effect twice`);
  const ran = ticketCalls.filter((c) => c.status === CallStatus.EXECUTED).length;
  if (tickets < ran) broken.push(`the run says create_ticket ran ${ran} time(s); ${tickets} ticket(s) exist`);

  const audit = new DynamoDbAuditStore({ client: system.client, tableName: system.tables.audit });
  const chain = await audit.readChain(runId);
  for (const call of calls.filter((c) => c.status === CallStatus.EXECUTED))
    if (!chain.records.some(({ record }) => record.callId === call.callId && record.status === CallStatus.EXECUTED))
      broken.push(`${call.tool} ${call.callId} ran, and no audit record says so`);
  for (const found of verifyChain(chain, { ended }).breaks) broken.push(`audit chain: ${found.message}`);

  if (ended) {
    const before = stateOf(snapshot);
    await settle();
    if (stateOf(await system.runs.load(runId)) !== before) broken.push('the run changed after it ended');
  }
  return broken;
};
