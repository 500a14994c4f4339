import { setTimeout as sleep } from 'node:timers/promises';
import { ApiRequestError, apiRequest } from '../api-client.ts';
import type { EvalCase } from './case-file.ts';
import type { ObservedCall, ObservedRun } from './judge.ts';

/** Who a case's prompt runs as: a role of the local users, or a token of your own deployed. */
export type EvalRole = EvalCase['role'] | 'approver';

/** Where the eval sends its runs: the HTTP API of DESIGN.md, local or deployed, and a bearer token per role. */
export interface EvalTarget {
  readonly baseUrl: string;
  readonly tokens: Readonly<Partial<Record<EvalRole, string>>>;
  /** How often a run's status is read. */
  readonly pollMs: number;
  /** A run that has not ended by then fails its repetition. */
  readonly timeoutMs: number;
}

/** The harness could not run a case (no token for a role, the API refused, a run never ended): not the model's fault. */
export class EvalHarnessError extends Error {
  override readonly name = 'EvalHarnessError';
}

const ENDED = new Set(['SUCCEEDED', 'MAX_ITERATIONS', 'FAILED', 'BUDGET_EXHAUSTED']);
/** Call statuses that mean an approval was asked for, whoever decided it. */
const DECIDED = new Set(['denied', 'expired']);

interface RunView {
  readonly status: string;
  readonly output: string | null;
  readonly iterations: number;
  readonly usage?: { inputTokens: number; outputTokens: number } | null;
  /** Each call with its arguments as the model sent them (from the run's stored turns: nothing cut, only secrets masked). */
  readonly calls: readonly ObservedCall[];
}

/** A JSON request to the API; waits out a 429 (the per-user run limit) as its Retry-After says, until the deadline. */
const request = async <T>(
  target: EvalTarget,
  role: EvalRole,
  method: string,
  path: string,
  deadline: number,
  body?: unknown,
): Promise<T> => {
  const token = target.tokens[role];
  if (!token)
    throw new EvalHarnessError(`No token for the role ${role}: pass --token ${role}=<token> (or EVAL_TOKEN_${role.toUpperCase()}).`);
  for (;;) {
    try {
      return await apiRequest<T>(target.baseUrl, token, method, path, body);
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error;
      if (error.status !== 429) throw new EvalHarnessError(error.message);
      const waitMs = (error.retryAfterSeconds ?? 1) * 1000;
      if (performance.now() + waitMs > deadline)
        throw new EvalHarnessError(`${method} ${path}: still rate limited at the case's deadline.`);
      await sleep(waitMs);
    }
  }
};

/**
 * Runs one case once through the API, as a user would: starts the run as the case's role, follows
 * it to its end, decides any approval it waits for as the approver (deny unless the case says
 * approve), then reads its calls and their arguments as the model sent them (`GET /runs/{id}`).
 *
 * @example
 * const observed = await runCase(target, cases.cases[0]);
 * console.log(observed.status, observed.calls.map((c) => c.tool));
 */
export const runCase = async (target: EvalTarget, evalCase: EvalCase): Promise<ObservedRun> => {
  const started = performance.now();
  const deadline = started + target.timeoutMs;
  const call = <T>(role: EvalRole, method: string, path: string, body?: unknown) => request<T>(target, role, method, path, deadline, body);

  const { runId } = await call<{ runId: string }>(evalCase.role, 'POST', '/runs', {
    input: evalCase.prompt,
    ...(evalCase.runMaxIterations ? { maxIterations: evalCase.runMaxIterations } : {}),
  });
  const approvals: string[] = [];
  const decided = new Set<string>();
  let view: RunView;
  for (;;) {
    view = await call<RunView>(evalCase.role, 'GET', `/runs/${runId}`);
    if (ENDED.has(view.status)) break;
    if (view.status === 'WAITING_FOR_APPROVAL') {
      const { approvals: pending } = await call<{ approvals: Array<{ approvalId: string; runId: string; tool: string }> }>(
        'approver',
        'GET',
        '/approvals?status=pending',
      );
      for (const approval of pending.filter((a) => a.runId === runId && !decided.has(a.approvalId))) {
        decided.add(approval.approvalId);
        approvals.push(approval.tool);
        // As an approver must: the full view first (a yes on arguments the short form cuts counts only after it).
        await call('approver', 'GET', `/approvals/${approval.approvalId}`);
        await call('approver', 'POST', `/approvals/${approval.approvalId}`, {
          decision: evalCase.onApproval ?? 'deny',
          reason: `npm run eval: case "${evalCase.name}"`,
        }).catch((error: unknown) => {
          // Decided meanwhile by someone else (409): the run goes on either way.
          if (!(error instanceof EvalHarnessError && / 409:/.test(error.message))) throw error;
        });
      }
    }
    if (performance.now() > deadline)
      throw new EvalHarnessError(`run ${runId} had not ended after ${target.timeoutMs} ms (${view.status}).`);
    await sleep(target.pollMs);
  }
  const latencyMs = performance.now() - started;

  for (const c of view.calls) if (DECIDED.has(c.status) && !approvals.includes(c.tool)) approvals.push(c.tool);

  return {
    runId,
    status: view.status,
    iterations: view.iterations,
    output: view.output ?? '',
    // Judged as the model sent them, whether the call ran, was denied or was refused (not the audit's shortened copy).
    calls: view.calls.map((c) => ({ ...c, arguments: c.arguments ?? null })),
    approvals,
    usage: view.usage ?? null,
    latencyMs,
  };
};
