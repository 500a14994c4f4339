import * as z from 'zod/mini';

const id = (what: string) =>
  z
    .string()
    .check(z.maxLength(128, { abort: true }), z.regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, `${what} must be 1-128 letters, digits, _ . : -`));

/**
 * A `vouchedBy` map: at most 32 argument names (64 characters each), each to a voucher (80). Checked
 * by hand: zod's record costs a tool's bundle 3.7 KB, this a few hundred bytes.
 */
const isVouchedBy = (value: unknown): boolean =>
  value !== null &&
  typeof value === 'object' &&
  !Array.isArray(value) &&
  Object.keys(value).length <= 32 &&
  Object.entries(value).every(([name, voucher]) => name.length <= 64 && typeof voucher === 'string' && voucher.length <= 80);

/**
 * A run's history as the loop counted it for the policies: calls of each deployed tool so far (at
 * most 200 tools, counts whole and non-negative), the tokens spent, and where the policies read
 * them the dollars spent, the approvals given (at most 200) and the user's calls of the tool in the
 * last hour. Checked by hand, as `vouchedBy` is, to keep zod's record out of every tool's bundle.
 */
/** The most approvals an invocation's history carries: a run with more has them left out (a policy reading them refuses). */
export const MAX_RUN_APPROVALS = 200;

const isRunHistory = (value: unknown): boolean => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { calls, tokens, usd, approvals, lastHour, ...rest } = value as Record<string, unknown>;
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const text = (s: unknown, max: number) => typeof s === 'string' && s.length > 0 && s.length <= max;
  const isApproval = (a: unknown) =>
    a !== null &&
    typeof a === 'object' &&
    Object.keys(a).length === 2 &&
    text((a as { tool?: unknown }).tool, 64) &&
    text((a as { by?: unknown }).by, 128);
  return (
    Object.keys(rest).length === 0 &&
    count(tokens) &&
    calls !== null &&
    typeof calls === 'object' &&
    !Array.isArray(calls) &&
    Object.keys(calls).length <= 200 &&
    Object.entries(calls).every(([name, n]) => name.length <= 64 && count(n)) &&
    (usd === undefined || (typeof usd === 'number' && Number.isFinite(usd) && usd >= 0)) &&
    (approvals === undefined || (Array.isArray(approvals) && approvals.length <= MAX_RUN_APPROVALS && approvals.every(isApproval))) &&
    (lastHour === undefined || count(lastHour))
  );
};

/**
 * What a tool Lambda receives: written by the orchestration (from the run record and the model's
 * screened call), never by the model. The caller's groups come from the run record, which got
 * them from the authorizer; `arguments` is the only model-written part and is validated apart.
 */
export const toolInvocationSchema = z.strictObject({
  runId: id('runId'),
  callId: id('callId'),
  tool: z.string().check(z.maxLength(64)),
  caller: z.strictObject({
    userId: id('caller.userId'),
    groups: z.array(z.string().check(z.maxLength(64))).check(z.maxLength(16)),
  }),
  arguments: z.unknown(),
  /**
   * The run's information-flow label, set by the loop (null: the run carries no untrusted content).
   * A sink checks it again, as it checks the caller's role.
   */
  untrusted: z.optional(z.nullable(z.strictObject({ tool: z.string().check(z.maxLength(64)), callId: id('untrusted.callId') }))),
  /**
   * For a sink called in a labelled run: which voucher vouched for each of its sink arguments
   * (`prompt`, `record:<name>`), as the loop found them. The sink lets the call through without
   * approval only when these cover every sink argument its declaration names.
   */
  vouchedBy: z.optional(
    z.nullable(z.custom<Readonly<Record<string, string>>>(isVouchedBy, 'vouchedBy must map argument names to vouchers')),
  ),
  /** Set by the approval branch for destructive tools. */
  approvalId: z.optional(id('approvalId')),
  /**
   * The run's history as the loop counted it when it screened the call (each tool's calls so far,
   * the tokens spent): what the deployment's policies read as `context.run`. Absent over MCP.
   */
  history: z.optional(
    z.custom<RunHistory>(isRunHistory, 'history must be { calls: { <tool>: count }, tokens, usd?, approvals?: [{ tool, by }], lastHour? }'),
  ),
  /**
   * Set by the state machine: answer a success with a receipt, not the data. The data is in the
   * idempotency record already, and results must not travel through the execution's state (256 KB).
   */
  receipt: z.optional(z.literal(true)),
});

/**
 * What the state machine sends a tool's function: the run and call ids, the caller, the arguments,
 * and the label, approval and history the guards check.
 */
export type ToolInvocation = z.output<typeof toolInvocationSchema>;

/** A run's history as the policies read it (`context.run`, `context.approvals`, `context.lastHour`). */
export interface RunHistory {
  /** Calls of each deployed tool so far in the run (made or under way; refused ones do not count). */
  readonly calls: Readonly<Record<string, number>>;
  /** Model tokens the run has spent so far. */
  readonly tokens: number;
  /** What the run's model calls cost so far, in dollars, where the deployment declares its prices. */
  readonly usd?: number;
  /** Each yes an approver gave in the run so far (a quorum's votes are one each): for which tool, by whom. Where a policy reads them. */
  readonly approvals?: readonly RunApproval[];
  /** The user's calls of this call's tool in the last hour, across runs and MCP sessions. Where a policy reads it. */
  readonly lastHour?: number;
}

/** One approver's yes on one call of a run. */
export interface RunApproval {
  readonly tool: string;
  readonly by: string;
}
