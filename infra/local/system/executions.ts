import type * as LocalStepFunctions from 'aws-local-stepfunctions';
import { requirePeer } from '../../../shared/optional-peers/index.ts';

// An optional peer (shared/optional-peers/): loaded here, with an install command if it is missing.
const { StateMachine } = requirePeer<typeof LocalStepFunctions>('local', 'aws-local-stepfunctions');
type StateMachine = LocalStepFunctions.StateMachine;
import { LoopTask } from '../../guarded-agent/agent-loop.ts';
import type { SynthesizedLocalApp } from '../local-app.ts';
import type { LocalExecution } from './options.ts';

/** A task state's JSON, as aws-local-stepfunctions hands it over and takes it back. */
type Overrides = NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>;
type Json = Parameters<NonNullable<Overrides['taskResourceLocalHandlers']>[string]>[0];

/**
 * A loop function as a local task handler. The state machine hands each task the JSON its
 * Parameters build, which is the function's event as the synthesized definition shapes it (the
 * same JSON the deployed Lambda gets): this is the one place that says so, as Lambda's runtime does.
 */
const localTask =
  <Input, Output>(fn: (input: Input) => Promise<Output>) =>
  async (input: Json): Promise<Json> =>
    (await fn(input as Input)) as Json;

/** The names of the states that have a `Retry` field, at any depth (a Map's or a Parallel's states too). */
const retryingStates = (definition: unknown): string[] => {
  const { States } = definition as { States?: Record<string, Record<string, unknown>> };
  return Object.entries(States ?? {}).flatMap(([name, state]) => [
    ...(Array.isArray(state.Retry) ? [name] : []),
    ...[state.Iterator, state.ItemProcessor, ...(Array.isArray(state.Branches) ? state.Branches : [])].flatMap((inner) =>
      inner ? retryingStates(inner) : [],
    ),
  ]);
};

/** What the state machine's tasks run: the loop's functions, as the synthesized definition invokes them. */
export interface LoopTasks {
  readonly callModel: (input: never) => Promise<unknown>;
  readonly invokeTool: (input: { FunctionName: string; Payload: unknown }) => Promise<unknown>;
  readonly awaitApproval: (input: never) => Promise<unknown>;
}

/**
 * Follows an execution's events into its record until it ends: the states it enters, its largest
 * state, and, if it fails, the top-level state it failed in with that state's input (a Map's
 * iterations carry their index): where a redrive starts.
 */
const recorded = async (execution: ReturnType<StateMachine['run']>, record: LocalExecution): Promise<void> => {
  delete record.failedAt;
  let current: { state: string; input: unknown } | undefined;
  const collect = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'ExecutionFailed' && current) record.failedAt = current;
      if (event.type !== 'StateEntered') continue;
      record.states.push(event.state.name);
      record.largestStateBytes = Math.max(record.largestStateBytes, Buffer.byteLength(JSON.stringify(event.state.input ?? null)));
      if (event.index === undefined) current = { state: event.state.name, input: event.state.input };
    }
  })();
  await execution.result.catch(() => undefined);
  await collect;
};

/**
 * Step 5: the state machine CDK synthesized, run by aws-local-stepfunctions, its tasks handled in
 * this process. Each execution's states are recorded (what a Standard workflow bills, and the
 * path the console draws), and where a failed one failed, so it can be redriven.
 */
export const stateMachineOf = ({ definition }: Pick<SynthesizedLocalApp, 'definition'>, tasks: LoopTasks, retryPauseMs?: number) => {
  // The ASL CDK synthesized, typed here as this project reads it; aws-local-stepfunctions has its own type for the same JSON.
  type Definition = ConstructorParameters<typeof StateMachine>[0];
  const machineFrom = (startAt?: string) =>
    new StateMachine(
      { ...(definition as unknown as Definition), ...(startAt ? { StartAt: startAt } : {}) },
      { validationOptions: { checkArn: false } },
    );
  const machine = machineFrom();
  const retryIntervalOverrides =
    retryPauseMs === undefined ? undefined : Object.fromEntries(retryingStates(definition).map((name) => [name, retryPauseMs]));
  const executions = new Map<string, LocalExecution>();
  const running = new Map<string, { abort: () => void }>();
  const handlers = {
    [LoopTask.CALL_MODEL]: localTask(tasks.callModel),
    [LoopTask.MARK_FAILED]: localTask(tasks.callModel),
    [LoopTask.INVOKE_TOOL]: localTask(tasks.invokeTool),
    [LoopTask.INVOKE_APPROVED]: localTask(tasks.invokeTool),
    [LoopTask.REQUEST_APPROVAL]: localTask(tasks.awaitApproval),
  };

  /** Runs `from` on `input` as the run's execution, recording its states into `record`. */
  const launch = (runId: string, from: StateMachine, input: Json, record: LocalExecution): void => {
    const execution = from.run(input, {
      context: { Execution: { Name: runId }, Task: { Token: 'see-the-approvals-table' } },
      overrides: { ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}), taskResourceLocalHandlers: handlers },
    });
    running.set(runId, execution);
    record.finished = recorded(execution, record).then(() => void running.delete(runId));
  };

  /** Starts the loop for a run: from its start, or (resuming) from its last saved step. */
  const startExecution = async (runId: string, iteration?: number): Promise<void> => {
    const record: LocalExecution = { states: [], largestStateBytes: 0, finished: Promise.resolve() };
    executions.set(runId, record);
    launch(runId, machine, iteration === undefined ? { runId } : { runId, iteration }, record);
  };

  /**
   * RedriveExecution, locally: a failed execution continues from the state it failed in, with that
   * state's input, as Step Functions redrives one (the states it passed are not run again). Only an
   * execution that failed can be redriven: otherwise `ExecutionNotRedrivable`, as AWS answers.
   */
  const redriveExecution = async (runId: string): Promise<void> => {
    const record = executions.get(runId);
    if (!record?.failedAt || running.has(runId))
      throw Object.assign(new Error(`Execution ${runId} has not failed, so it cannot be redriven.`), { name: 'ExecutionNotRedrivable' });
    launch(runId, machineFrom(record.failedAt.state), record.failedAt.input as Json, record);
  };

  return {
    startExecution,
    redriveExecution,
    executions,
    /** A run's execution in this process; for an ended run, once it has ended too (the record says so a state or two before: Route, RunEnded). */
    settledExecution: async (runId: string, ended: boolean) => {
      const execution = executions.get(runId);
      if (execution && ended) await execution.finished;
      return execution;
    },
    /** Abandons every execution where it is (with DATA_DIR, it resumes at the next start). */
    stop: async () => {
      for (const execution of running.values()) execution.abort();
      await Promise.all([...executions.values()].map((e) => e.finished));
    },
  };
};

export type LocalStateMachine = ReturnType<typeof stateMachineOf>;
