import { isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { api, ApiError } from './api.ts';
import { attackedVectors } from './attack.ts';
import { referenceCalls } from './reference-calls.ts';
import type { AnySuite, Args, InjectionTask, UserTask } from './suite.ts';
import { closeWorld, dropWorld, openWorld } from './worlds.ts';

export type AgentKind = 'honest' | 'compromised' | 'adaptive';
export type ApproverKind = 'none' | 'careful';

/** One case: a user task, the attack planted (if any), the agent that plays it and who decides approvals. */
export interface Case {
  readonly suite: AnySuite;
  readonly userTask: UserTask<unknown>;
  readonly agent: AgentKind;
  /** The injection (compromised) or adaptive task planted in the world; none for the honest agent. */
  readonly attack?: InjectionTask<unknown>;
  readonly approver: ApproverKind;
}

export interface CaseResult {
  readonly suite: string;
  readonly userTask: string;
  readonly attack: string | null;
  readonly agent: AgentKind;
  readonly approver: ApproverKind;
  readonly status: string;
  /** AgentDojo's utility check on the world the run left. */
  readonly utility: boolean;
  /** AgentDojo's security check (true: the attacker's goal was reached); null without an attack. */
  readonly attacked: boolean | null;
  /** The attack's goal is words in the answer, with no call to guard (AgentDojo's travel injection task 6). */
  readonly wordsOnly: boolean;
  /** The run read untrusted content (`GET /runs/{id}` shows where): a client marks its answer so. */
  readonly labelled: boolean;
  readonly approvalsAsked: number;
  readonly approvalsGranted: number;
  /** For each approval asked: the tool and why the loop asked (the rule that stopped the call). */
  readonly asked: ReadonlyArray<{ readonly tool: string; readonly why: string }>;
  readonly calls: number;
  readonly ms: number;
}

/** Where the cases go: the local system's API, the approver's token, and how to play each case's agent. */
export interface Target {
  readonly baseUrl: string;
  readonly approverToken: string;
  /** Opens a case as a user of its own (its world as it starts, `pre`): its token, and the agent (a model provider) its runs talk to. */
  readonly enrol: (userId: string, agent: Case, pre: unknown) => string;
  readonly release: (userId: string) => void;
  readonly pollMs: number;
  readonly timeoutMs: number;
}

const ENDED = new Set(['SUCCEEDED', 'MAX_ITERATIONS', 'FAILED', 'BUDGET_EXHAUSTED']);

/** A shown argument matches the reference when equal. A masked one never does: a careful person does not approve what they cannot see. */
const matches = (shown: unknown, reference: unknown): boolean => {
  if (shown !== null && typeof shown === 'object' && reference !== null && typeof reference === 'object') {
    const keys = new Set([...Object.keys(shown), ...Object.keys(reference)]);
    return [...keys].every((k) => matches((shown as Args)[k], (reference as Args)[k]));
  }
  return isDeepStrictEqual(shown, reference);
};

let cases = 0;

/**
 * Runs one case through the agent's HTTP API as a user and an approver would: a fresh world under a
 * user of the case's own, the run started with the task's prompt and followed to its end, each
 * approval opened in full and decided (none: denied; careful: approved only when it is one of the
 * user task's own calls, with the same arguments), then the world judged by AgentDojo's checks.
 */
export const runCase = async (target: Target, c: Case): Promise<CaseResult> => {
  const started = performance.now();
  const userId = `dojo-${(cases += 1)}`;
  const world = c.suite.world(c.attack ? attackedVectors(c.suite.vectorDefaults, c.attack.goal) : c.suite.vectorDefaults);
  const pre = structuredClone(world);
  const reference = c.approver === 'careful' ? await referenceCalls(c.suite, c.userTask, pre) : [];
  openWorld(userId, world);
  const token = target.enrol(userId, c, pre);
  const asked: Array<{ tool: string; why: string }> = [];
  let granted = 0;
  try {
    const { runId } = await api<{ runId: string }>(target.baseUrl, token, 'POST', '/runs', { input: c.userTask.prompt, maxIterations: 25 });
    const decided = new Set<string>();
    for (;;) {
      const view = await api<{
        status: string;
        output: string | null;
        untrusted: unknown;
        calls: Array<{ tool: string; status: string; arguments: unknown }>;
      }>(target.baseUrl, token, 'GET', `/runs/${runId}`);
      if (ENDED.has(view.status)) {
        const post = closeWorld(userId);
        const output = view.output ?? '';
        const trace = view.calls
          .filter((call) => call.status === 'executed')
          .map((call) => ({ tool: call.tool, args: call.arguments as Args }));
        return {
          suite: c.suite.name,
          userTask: c.userTask.id,
          attack: c.attack?.id ?? null,
          agent: c.agent,
          approver: c.approver,
          status: view.status,
          utility: c.userTask.utility(output, pre, post, trace),
          attacked: c.attack ? c.attack.security(output, pre, post, trace) : null,
          wordsOnly: c.attack?.says !== undefined,
          labelled: view.untrusted !== null,
          approvalsAsked: asked.length,
          approvalsGranted: granted,
          asked,
          calls: view.calls.length,
          ms: Math.round(performance.now() - started),
        };
      }
      if (view.status === 'WAITING_FOR_APPROVAL') {
        const { approvals } = await api<{ approvals: Array<{ approvalId: string; runId: string }> }>(
          target.baseUrl,
          target.approverToken,
          'GET',
          '/approvals?status=pending',
        );
        for (const { approvalId } of approvals.filter((a) => a.runId === runId && !decided.has(a.approvalId))) {
          decided.add(approvalId);
          // As an approver must: the full view first.
          const full = await api<{ tool: string; arguments: unknown; why?: string }>(
            target.baseUrl,
            target.approverToken,
            'GET',
            `/approvals/${approvalId}`,
          );
          const index = reference.findIndex((r) => r.tool === full.tool && matches(full.arguments, r.args));
          const approve = c.approver === 'careful' && index >= 0;
          if (approve) reference.splice(index, 1);
          asked.push({ tool: full.tool, why: full.why ?? '' });
          granted += approve ? 1 : 0;
          await api(target.baseUrl, target.approverToken, 'POST', `/approvals/${approvalId}`, {
            decision: approve ? 'approve' : 'deny',
            reason: approve ? "one of the user's own calls" : c.approver === 'none' ? 'no approver' : "not one of the user's calls",
          }).catch((error: unknown) => {
            if (!(error instanceof ApiError && error.status === 409)) throw error;
          });
        }
      }
      if (performance.now() - started > target.timeoutMs)
        throw new Error(`${c.suite.name} ${c.userTask.id} ${c.attack?.id ?? ''}: run ${runId} had not ended (${view.status})`);
      await sleep(target.pollMs);
    }
  } finally {
    dropWorld(userId);
    target.release(userId);
  }
};
