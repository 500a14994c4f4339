import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { approvalIdOf, DynamoDbApprovalStore } from '../../../shared/approval/index.ts';
import { ScriptedModel } from '../../../shared/model/index.ts';
import type { CompiledPolicySet } from '../../../shared/policies/index.ts';
import type { ToolRegistry } from '../../../shared/tool/index.ts';
import { escalationGroupOf } from '../../../functions/commons/env/deployment-settings.ts';
import * as FunctionEnv from '../../../functions/commons/env/function-env.ts';
import { modelFromEnv } from '../../../functions/commons/model-from-env.ts';
import { createCallModel } from '../../../functions/orchestration/call-model/call-model.ts';
import { callModelStores } from '../../../functions/orchestration/call-model/stores.ts';
import { SYSTEM_PROMPT } from '../../../functions/orchestration/call-model/system-prompt.ts';
import {
  createEscalationSweep,
  createRequestApproval,
  type RequestApprovalEvent,
} from '../../../functions/orchestration/request-approval/request-approval.ts';
import { OrchestrationFunction } from '../../guarded-agent/orchestration-functions.ts';
import { DemoModel } from '../demo-model.ts';
import type { LocalTables } from './data-services.ts';
import type { FunctionRoles } from './function-roles.ts';
import { everyInterval } from './every-interval.ts';
import { DEFAULT_APPROVAL_GRACE_MS, type LocalSystemOptions } from './options.ts';

/** A task token locally: it names the approval whose decision resumes the waiting execution. */
export const TOKEN_PREFIX = 'local-task-token:';

/**
 * Step 4: the loop's functions. CallModel with its stores as its Lambda builds them (from the
 * environment CDK synthesized for it), and the model each run talks to; RequestApproval, with its
 * escalation sweep where the app declares one (deployed, an EventBridge rule every minute: here
 * every second); and the waitForTaskToken task, which waits for an approval's decision.
 */
export const startOrchestration = async (
  roles: FunctionRoles,
  { tables }: Pick<LocalTables, 'tables'>,
  registry: ToolRegistry,
  platformClient: DynamoDBClient,
  options: Pick<LocalSystemOptions, 'model' | 'approvalTimeoutMs' | 'approvalGraceMs' | 'escalationSweepMs' | 'instrumentInvoke'> & {
    readonly policies?: CompiledPolicySet | undefined;
  },
) => {
  const { approvals: callModelApprovals, ...callModelWork } = callModelStores(
    roles.envOf(OrchestrationFunction.CALL_MODEL),
    roles.clientOf(OrchestrationFunction.CALL_MODEL),
    roles.archiveOf(OrchestrationFunction.CALL_MODEL),
  );
  const configuredModel = process.env.MODEL_PROVIDER ? await modelFromEnv() : undefined;
  /** What call-model reported for metrics, in order (the local stand-in for the dashboard's loop panels). */
  const events: string[] = [];
  const callModel = createCallModel({
    ...callModelWork,
    registry,
    // A run's script wins; else the app's choice; else the configured provider (MODEL_PROVIDER, as deployed); else the demo model.
    modelFor: (run) =>
      run.script
        ? new ScriptedModel(run.script)
        : (options.model?.({ runId: run.runId, userId: run.owner, input: run.input }) ?? configuredModel ?? new DemoModel()),
    functionNameOf: (tool) => tool,
    systemPrompt: SYSTEM_PROMPT,
    informationFlow: FunctionEnv.INFORMATION_FLOW.read(roles.envOf(OrchestrationFunction.CALL_MODEL)),
    ...(options.policies ? { policies: options.policies } : {}),
    onApprovalClosed: async (approvalId) => void (await callModelApprovals.expire(approvalId)),
    events: {
      runEnded: (status, iterations) => events.push(`runEnded:${status}:${iterations}`),
      approvalExpired: (tool) => events.push(`approvalExpired:${tool}`),
      sealFailed: (runId) => events.push(`sealFailed:${runId}`),
      spendCrossed: (crossing) => events.push(`spendCrossed:${crossing.counter.key}:${crossing.dimension}`),
    },
  });
  const approvalTimeoutMs = options.approvalTimeoutMs ?? 10 * 60_000;
  const approvalRequests = new DynamoDbApprovalStore({
    client: roles.clientOf(OrchestrationFunction.REQUEST_APPROVAL),
    tableName: tables.approvals,
    ...escalationGroupOf(roles.envOf(OrchestrationFunction.REQUEST_APPROVAL)),
  });
  const escalation = FunctionEnv.APPROVAL_ESCALATION.read(roles.envOf(OrchestrationFunction.REQUEST_APPROVAL));
  const requestApproval = createRequestApproval({
    approvals: approvalRequests,
    timeoutSeconds: Math.max(1, Math.ceil(approvalTimeoutMs / 1000)),
    ...(escalation ? { escalation } : {}),
  });
  const sweep = escalation ? createEscalationSweep({ approvals: approvalRequests, escalation }) : undefined;
  const escalating = sweep
    ? everyInterval(async () => {
        const { escalated } = await sweep();
        for (const id of escalated) events.push(`approvalEscalated:${id}`);
      }, options.escalationSweepMs ?? 1000)
    : undefined;
  const waits = approvalWaits(requestApproval, new DynamoDbApprovalStore({ client: platformClient, tableName: tables.approvals }), {
    graceMs: options.approvalGraceMs ?? DEFAULT_APPROVAL_GRACE_MS,
    instrument: options.instrumentInvoke,
  });
  return {
    callModel,
    awaitApproval: waits.awaitApproval,
    waiting: waits.waiting,
    answerTask: waits.answer,
    approvalRequests,
    approvalTimeoutMs,
    events,
    stop: async () => {
      await escalating?.stop();
      waits.stop();
    },
  };
};

export type Orchestration = Awaited<ReturnType<typeof startOrchestration>>;

/**
 * The waitForTaskToken task, locally: records the approval (or finds it, on a resumed run) and
 * waits for its decision. An approval decided before a crash resumes at once; one whose time ran
 * out, while the system was down or not, ends as the state's timeout, as on AWS. `platformApprovals`
 * is Step Functions' own view of an approval (the local stand-in for the task token's state).
 */
const approvalWaits = (
  requestApproval: ReturnType<typeof createRequestApproval>,
  platformApprovals: DynamoDbApprovalStore,
  /** `graceMs`: how long after the approval's expiry the wait times out (the task's backstop after the store's expiry); `instrument` wraps the task's Lambda invocation (fault injection). */
  wait: { readonly graceMs: number; readonly instrument?: LocalSystemOptions['instrumentInvoke'] },
) => {
  /** Executions waiting on an approval: how to resume each, and its expiry timer. */
  const waiting = new Map<string, { resume: (decision: unknown) => void; timer?: NodeJS.Timeout }>();
  /** Approvals whose wait ended here (answered or timed out): their token is refused, as Step Functions refuses a closed task's. */
  const ended = new Set<string>();
  // Once the system stops, every wait is abandoned where it is, neither decided nor failed: what a
  // stop cuts short (a read, a write) must not end the run, which resumes at the next start.
  let stopped = false;
  const abandoned = () => new Promise<never>(() => undefined);
  const awaitApproval = async (input: { Payload: Omit<RequestApprovalEvent, 'taskToken'> }): Promise<unknown> => {
    const { item } = input.Payload;
    const approvalId = approvalIdOf(item.invocation.runId, item.invocation.callId);
    ended.delete(approvalId); // A task of its own: its token is open until the task ends.
    try {
      const event = { taskToken: `${TOKEN_PREFIX}${approvalId}`, item };
      await (wait.instrument
        ? wait.instrument(OrchestrationFunction.REQUEST_APPROVAL, () => requestApproval(event))
        : requestApproval(event));
    } catch (error) {
      if (stopped) return abandoned();
      // The task failed with its Lambda: its token is refused from now on (CallModel closes the approval).
      ended.add(approvalId);
      throw error;
    }
    if (stopped) return abandoned();
    return new Promise((resolve, reject) => {
      const end = (outcome: () => void) => {
        clearTimeout(waiting.get(approvalId)?.timer);
        waiting.delete(approvalId);
        ended.add(approvalId);
        outcome();
      };
      const timedOut = () => end(() => reject(Object.assign(new Error('approval timed out'), { name: 'States.Timeout' })));
      // Listening first, then reading: a decision that lands in between still finds the waiter.
      waiting.set(approvalId, { resume: (decision) => end(() => resolve(decision)) });
      platformApprovals.get(approvalId).then(
        (stored) => {
          const waiter = waiting.get(approvalId);
          if (!waiter) return;
          if (stored?.status === 'APPROVED' || stored?.status === 'DENIED')
            return waiter.resume({ approvalId, decision: stored.status === 'APPROVED' ? 'approve' : 'deny' });
          const leftMs = (stored?.expiresAt ?? 0) * 1000 + wait.graceMs - Date.now();
          if (stored?.status === 'EXPIRED' || leftMs <= 0) return timedOut();
          waiter.timer = setTimeout(timedOut, leftMs);
        },
        (error: unknown) => {
          if (!stopped) end(() => reject(error));
        },
      );
    });
  };
  return {
    awaitApproval,
    waiting,
    /**
     * SendTaskSuccess, locally: resumes the execution waiting on the approval. A wait that has ended
     * (answered, or timed out) refuses it with `TaskTimedOut`, as Step Functions does; one not yet
     * begun takes nothing (its execution reads the stored decision as it starts waiting).
     */
    answer: (approvalId: string, output: unknown): void => {
      const waiter = waiting.get(approvalId);
      if (waiter) return waiter.resume(output);
      if (ended.has(approvalId))
        throw Object.assign(new Error('The task token has either expired or the task associated with the token has already been closed.'), {
          name: 'TaskTimedOut',
        });
    },
    /** Stops waiting without deciding anything: the approvals stay pending. */
    stop: () => {
      stopped = true;
      for (const { timer } of waiting.values()) clearTimeout(timer);
      waiting.clear();
    },
  };
};
