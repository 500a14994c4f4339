import { ApprovalStatus } from '../../shared/approval/index.ts';
import { DynamoDbAuditStore, ranHandler, verifyChain, type AuditRecord } from '../../shared/audit/index.ts';
import { type RunSnapshot, TERMINAL_STATUSES } from '../../shared/runs/index.ts';
import { CallStatus } from '../../shared/tool-result/index.ts';
import type { DemoSystem } from '../local/demo-app.ts';
import type { DecisionAnswer } from './sim-approver.ts';

/** A run as the invariants compare it: its record and its calls, as stored. */
const stateOf = (snapshot: RunSnapshot | undefined) => JSON.stringify(snapshot ? { run: snapshot.run, calls: snapshot.calls } : null);

/** The demo tools whose side effects are counted as they land (sim-world.ts). */
const EFFECT_TOOLS = ['create_ticket', 'refund_order'] as const;

/** What the seed observed besides the stores: side effects as they landed, and its approvers' answers. */
export interface SeedObservations {
  /** Side effects that landed, by the tool that made them. */
  readonly effects: ReadonlyMap<string, number>;
  /** Each function's clock offset from true time (ms): the API's stamps its decisions. */
  readonly clocks: ReadonlyMap<string, number>;
  readonly approvalId?: string;
  readonly answers: readonly DecisionAnswer[];
}

/**
 * What must hold after a seed, whatever faults it met (each broken one is a sentence):
 * - the run ended in a final state;
 * - a side effect happened at most once per call, and exactly once for a call the run says ran;
 * - the run made no more tool calls than its budget allows;
 * - every call the run says ran has its audit record, and the run's hash chain verifies;
 * - an approval was decided once (approvalInvariants);
 * - a finished run leaves no approval pending (its wait failed, and nobody closed it);
 * - a finished run does not change afterwards.
 */
export const invariantsAfter = async (
  system: DemoSystem,
  runId: string,
  seen: SeedObservations,
  settle: () => Promise<void>,
): Promise<string[]> => {
  const broken: string[] = [];
  const snapshot = await system.runs.load(runId);
  if (!snapshot) return ['the run record is gone'];
  const { run, calls } = snapshot;
  const ended = TERMINAL_STATUSES.has(run.status);
  if (!ended) broken.push(`the run is left ${run.status}, not in a final state`);

  for (const tool of EFFECT_TOOLS) {
    const toolCalls = calls.filter((c) => c.tool === tool);
    const landed = seen.effects.get(tool) ?? 0;
    if (landed > toolCalls.length) broken.push(`${tool}'s side effect landed ${landed} times for ${toolCalls.length} call(s): twice`);
    const ran = toolCalls.filter((c) => c.status === CallStatus.EXECUTED).length;
    if (landed < ran) broken.push(`the run says ${tool} ran ${ran} time(s); its side effect landed ${landed} time(s)`);
  }

  const audit = new DynamoDbAuditStore({ client: system.client, tableName: system.tables.audit });
  const chain = await audit.readChain(runId);
  for (const call of calls.filter((c) => c.status === CallStatus.EXECUTED))
    if (!chain.records.some(({ record }) => record.callId === call.callId && record.status === CallStatus.EXECUTED))
      broken.push(`${call.tool} ${call.callId} ran, and no audit record says so`);
  for (const found of verifyChain(chain, { ended }).breaks) broken.push(`audit chain: ${found.message}`);
  const made = callsMade(chain.records.map(({ record }) => record));
  if (run.budget?.toolCalls !== undefined && made > run.budget.toolCalls)
    broken.push(`the run made ${made} tool calls on a budget of ${run.budget.toolCalls}`);
  if (seen.approvalId)
    broken.push(
      ...(await approvalInvariants(
        system,
        seen,
        chain.records.map(({ record }) => record),
        calls.find((c) => seen.approvalId?.endsWith(`.${c.callId}`)),
      )),
    );

  if (ended)
    for (const left of (await system.approvals.listPending()).filter((a) => a.runId === runId))
      broken.push(`the run ended, and its approval ${left.approvalId} is still pending: an approver could approve a call that never runs`);

  if (ended) {
    const before = stateOf(snapshot);
    await settle();
    if (stateOf(await system.runs.load(runId)) !== before) broken.push('the run changed after it ended');
  }
  return broken;
};

/** How many distinct calls of these records' runs were made (an attempt's handler ran; a call's repeated attempts count once). */
export const callsMade = (records: readonly AuditRecord[]): number =>
  new Set(records.filter((r) => ranHandler(r)).map((r) => `${r.runId} ${r.callId}`)).size;

/**
 * The answers an approver may get: decided (200), refused as decided or expired (409), "try again"
 * after every try (503), or no such approval (404) once it is gone: the approvals table's TTL
 * deletes an approval after it runs out (on AWS within days; DynamoDB Local at once).
 */
const expectedStatus = (status: number, gone: boolean): boolean => [200, 409, 503].includes(status) || (gone && status === 404);

/**
 * An approval is decided once: every decision answered 200 is the one recorded, only one person's
 * decision was answered 200, the audit holds at most one decision, nothing was answered with an
 * error the approver could not act on, and the call's side effect landed only if it was approved.
 * The decision recorded is the approval's status, or its audit record once the approval is gone.
 */
const approvalInvariants = async (
  system: DemoSystem,
  seen: SeedObservations,
  records: readonly AuditRecord[],
  /** The approved (or not) call, as the run keeps it. */
  call: { readonly tool: string; readonly status: string } | undefined,
): Promise<string[]> => {
  const broken: string[] = [];
  const stored = await system.approvals.get(seen.approvalId as string);
  const decisions = records.filter((r) => r.approvalId === seen.approvalId && (r.status === 'approved' || r.status === 'denied'));
  if (decisions.length > 1) broken.push(`${decisions.length} decision records for one approval`);
  const recorded =
    stored?.status ?? (decisions[0] ? (decisions[0].status === 'approved' ? ApprovalStatus.APPROVED : ApprovalStatus.DENIED) : undefined);
  // A decision stored before the approval ran out reaches the waiting execution (which waits a grace
  // longer): the call is not left to expire. Its time in true time: the API stamped it on its own clock.
  // Its expiry as the engine reads it: the engine's timer counts it on true time.
  const decidedAtMs =
    (stored?.decidedAtMs ?? (stored?.decidedAt === undefined ? Infinity : (stored.decidedAt + 1) * 1000)) - (seen.clocks.get('Api') ?? 0);
  const decidedInTime = decidedAtMs < (stored?.expiresAt ?? 0) * 1000;
  if (stored?.status === ApprovalStatus.APPROVED && decidedInTime && call?.status === CallStatus.EXPIRED)
    broken.push('the approval was approved before it ran out, and the run let the call expire: the decision never reached it');
  const accepted = seen.answers.filter((a) => a.status === 200);
  for (const answer of accepted) {
    const expected = answer.decision === 'approve' ? ApprovalStatus.APPROVED : ApprovalStatus.DENIED;
    if (recorded !== expected) broken.push(`${answer.by}'s ${answer.decision} was answered 200, and the approval is ${recorded}`);
  }
  if (new Set(accepted.map((a) => a.by)).size > 1) broken.push(`decided twice: ${accepted.map((a) => `${a.by} ${a.decision}`).join(', ')}`);
  for (const answer of seen.answers.filter((a) => !expectedStatus(a.status, stored === undefined)))
    broken.push(`${answer.by}'s ${answer.decision} over ${answer.via} was answered ${answer.status}`);
  if (recorded !== ApprovalStatus.APPROVED && (seen.effects.get(call?.tool ?? stored?.tool ?? '') ?? 0) > 0)
    broken.push(`the call's side effect landed, and its approval is ${recorded}`);
  return broken;
};
