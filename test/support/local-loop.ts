import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { DynamoDbApprovalStore } from '#shared/approval/dynamodb-approval-store.ts';
import { DynamoDbBreakerStore } from '#shared/breaker/dynamodb-breaker-store.ts';
import { modelScriptSchema, ScriptedModel } from '#shared/model/scripted-model.ts';
import { DynamoDbRunStore } from '#shared/runs/dynamodb-run-store.ts';
import { RunStatus } from '#shared/runs/run-record.ts';
import { createEmbeddedTables, orchestrationTableSpecs } from '#shared/tables/table-spec.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { createCallModel } from '#functions/orchestration/call-model/call-model.ts';
import { SYSTEM_PROMPT } from '#functions/orchestration/call-model/system-prompt.ts';
import { createRequestApproval } from '#functions/orchestration/request-approval/request-approval.ts';
import * as z from 'zod/mini';
import { GuardedAgentsStack } from '../../infra/guarded-agents-stack.ts';
import { definitionFromTemplate, type Asl } from '../../infra/state-machine-definition.ts';
import { startDemoWorld, type DemoWorld } from './demo-harness.ts';
import { uniquePrefix } from './embedded-dynamodb.ts';
import { lambdaContext } from './lambda-context.ts';

/** The definition CDK synthesizes for the demo stack (bundling skipped: it does not change the definition). */
export const synthesizedDefinition = (): Asl => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new GuardedAgentsStack(app, 'Local');
  return definitionFromTemplate(Template.fromStack(stack).toJSON().Resources);
};

export interface LocalRun {
  readonly status: string;
  readonly output?: string;
  readonly iteration: number;
  /** States entered, in order: what Standard workflows bill. */
  readonly states: string[];
  /** Largest state input seen, in bytes: the conversation must not travel in it. */
  readonly largestStateBytes: number;
}

/**
 * The synthesized state machine run by aws-local-stepfunctions, its tasks bound to the real
 * handlers (call-model, request-approval, the guarded tools) on dynalite.
 */
export const startLocalLoop = async (options: { approvalTimeoutMs?: number } = {}) => {
  const world: DemoWorld = await startDemoWorld();
  const runsTable = (await createEmbeddedTables(world.db.client, [orchestrationTableSpecs.runs], uniquePrefix('r')))[orchestrationTableSpecs.runs.id] as string;
  const runs = new DynamoDbRunStore({ client: world.db.client, tableName: runsTable });
  const breakers = new DynamoDbBreakerStore({ client: world.db.client, tableName: world.guardTables.guard });
  const approvals = new DynamoDbApprovalStore({ client: world.db.client, tableName: world.guardTables.approvals });
  const events: string[] = [];
  const callModel = createCallModel({
    onApprovalExpired: async (approvalId) => void (await approvals.expire(approvalId)),
    events: { runEnded: (status, iterations) => events.push(`runEnded:${status}:${iterations}`), approvalExpired: (tool) => events.push(`approvalExpired:${tool}`) },
    runs,
    registry: toolCatalog,
    modelFor: (run) => new ScriptedModel(run.script ?? { provider: 'scripted', turns: [{ text: 'no script' }] }),
    openBreakers: (tools) => breakers.openAmong(tools, Date.now()),
    functionNameOf: (tool) => tool,
    systemPrompt: SYSTEM_PROMPT,
  });
  const approvalTimeoutMs = options.approvalTimeoutMs ?? 2000;
  const requestApproval = createRequestApproval({ approvals, timeoutSeconds: Math.ceil(approvalTimeoutMs / 1000) });
  const waiting = new Map<string, (decision: { approvalId: string; decision: string }) => void>();
  const definition = synthesizedDefinition();
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });

  const invokeTool = async (input: { FunctionName: string; Payload: unknown }) => {
    const tool = world.tools[input.FunctionName];
    if (!tool) throw Object.assign(new Error(`no function ${input.FunctionName}`), { name: 'Lambda.ResourceNotFoundException' });
    return { Payload: await tool.handler(input.Payload, lambdaContext()) };
  };

  let runs_ = 0;
  return {
    world,
    runs,
    /** What call-model reported for metrics, in order. */
    events,
    approvals,
    definition,
    /** Decides a pending approval as the API will: the store decides once, then the waiting execution resumes. */
    decide: async (approvalId: string, decision: 'approve' | 'deny', decider = { userId: 'pat', groups: ['approver'] }) => {
      await approvals.decide(approvalId, decision, decider, Math.floor(Date.now() / 1000));
      waiting.get(approvalId)?.({ approvalId, decision });
    },
    waitingApprovals: () => [...waiting.keys()],
    run: async (request: { input?: string; turns: unknown[]; maxIterations?: number; userId?: string; groups?: string[] }): Promise<LocalRun & { runId: string }> => {
      const runId = `run-local-${process.pid}-${++runs_}`;
      const now = new Date().toISOString();
      await runs.create({
        runId, owner: request.userId ?? 'adam', groups: request.groups ?? ['admin'], input: request.input ?? 'help me', maxIterations: request.maxIterations ?? 10,
        iteration: 0, status: RunStatus.RUNNING, script: z.parse(modelScriptSchema, { provider: 'scripted', turns: request.turns }), createdAt: now, updatedAt: now,
      });
      const execution = machine.run({ runId }, {
        context: { Execution: { Name: runId }, Task: { Token: 'held-in-the-approvals-table' } } as never,
        overrides: {
          taskResourceLocalHandlers: {
            CallModel: (input) => callModel(input as never) as never,
            MarkFailed: (input) => callModel(input as never) as never,
            InvokeTool: (input) => invokeTool(input as never) as never,
            InvokeApproved: (input) => invokeTool(input as never) as never,
            RequestApproval: async (input) => {
              const { item } = (input as { Payload: { item: never } }).Payload;
              const { approvalId } = await requestApproval({ taskToken: 'held-in-the-approvals-table', item });
              return new Promise((resolve, reject) => {
                const timer = setTimeout(() => {
                  waiting.delete(approvalId);
                  reject(Object.assign(new Error('approval timed out'), { name: 'States.Timeout' }));
                }, approvalTimeoutMs);
                waiting.set(approvalId, (decision) => {
                  clearTimeout(timer);
                  waiting.delete(approvalId);
                  resolve(decision);
                });
              }) as never;
            },
          },
        },
      });
      const states: string[] = [];
      let largestStateBytes = 0;
      const collect = (async () => {
        for await (const event of execution.eventLogs) {
          if (event.type === 'StateEntered') {
            states.push(event.state.name);
            largestStateBytes = Math.max(largestStateBytes, Buffer.byteLength(JSON.stringify(event.state.input ?? null)));
          }
        }
      })();
      await execution.result.catch(() => undefined);
      await collect;
      const snapshot = await runs.load(runId);
      return { runId, status: snapshot?.run.status ?? 'missing', ...(snapshot?.run.output === undefined ? {} : { output: snapshot.run.output }), iteration: snapshot?.run.iteration ?? 0, states, largestStateBytes };
    },
    stop: () => world.stop(),
  };
};
