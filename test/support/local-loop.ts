import { startingRun } from '#shared/runs/index.ts';
import { modelScriptSchema } from '#shared/model/index.ts';
import * as z from 'zod/mini';
import { startDemoSystem } from '../../infra/local/demo-app.ts';

export { synthesizedDefinition } from '../../infra/local/demo-app.ts';

export interface LocalRun {
  readonly runId: string;
  readonly status: string;
  readonly output?: string;
  readonly iteration: number;
  /** States entered, in order: what Standard workflows bill. */
  readonly states: string[];
  /** Largest state input seen, in bytes: the conversation must not travel in it. */
  readonly largestStateBytes: number;
}

/** The local system (the synthesized state machine on the real handlers and dynalite), driven run by run. */
export const startLocalLoop = async (options: { approvalTimeoutMs?: number } = {}) => {
  const system = await startDemoSystem({ approvalTimeoutMs: options.approvalTimeoutMs ?? 2000 });
  let count = 0;
  return {
    ...system,
    world: { db: { client: system.client }, guardTables: system.tables },
    /** Decides as the API does: once in the store, then the waiting execution resumes. */
    decide: async (approvalId: string, decision: 'approve' | 'deny', decider = { userId: 'pat', groups: ['approver'] }) => {
      const { taskToken } = await system.approvals.decide(approvalId, decision, decider);
      await system.deps.sendTaskSuccess(taskToken, { approvalId, decision });
    },
    run: async (request: {
      input?: string;
      turns: unknown[];
      maxIterations?: number;
      userId?: string;
      groups?: string[];
    }): Promise<LocalRun> => {
      const runId = `run-local-${process.pid}-${++count}`;
      await system.runs.create(
        startingRun({
          runId,
          owner: request.userId ?? 'adam',
          groups: request.groups ?? ['admin'],
          input: request.input ?? 'help me',
          maxIterations: request.maxIterations ?? 10,
          script: z.parse(modelScriptSchema, { provider: 'scripted', turns: request.turns }),
        }),
      );
      await system.deps.startExecution(runId);
      const execution = system.executions.get(runId)!;
      await execution.finished;
      const snapshot = await system.runs.load(runId);
      return {
        runId,
        status: snapshot?.run.status ?? 'missing',
        ...(snapshot?.run.output === undefined ? {} : { output: snapshot.run.output }),
        iteration: snapshot?.run.iteration ?? 0,
        states: execution.states,
        largestStateBytes: execution.largestStateBytes,
      };
    },
  };
};
