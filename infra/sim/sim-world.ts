import { AsyncLocalStorage } from 'node:async_hooks';
import { startDemoSystem, type DemoSystem } from '../local/demo-app.ts';
import { injectDynamoDbFaults } from './dynamodb-faults.ts';
import { injectLambdaFaults } from './lambda-faults.ts';
import type { FaultPlan } from './fault-plan.ts';
import { virtualRetryPauses } from './virtual-retries.ts';
import { installSkewedClocks, onClock } from './skewed-clocks.ts';
import { toolCatalog } from '../../functions/tools/catalog.ts';
import { type ToolFailure, watchedTools } from './tool-failures.ts';
import { SIM_USER_DAY_TOOL_CALLS } from './sim-scenarios.ts';

/** The approvers of the simulated world: they decide over the API and from Slack (locally `U` + their id in capitals). */
export const SIM_APPROVERS = [
  { userId: 'pat', groups: ['approver'], token: 'sim-pat', slackId: 'UPAT' },
  { userId: 'quinn', groups: ['approver'], token: 'sim-quinn', slackId: 'UQUINN' },
] as const;

const TOOL_NAMES: ReadonlySet<string> = new Set(toolCatalog.tools.map((t) => t.name));

/**
 * Whose DynamoDB outages a world plays. By default (`all`) every function's: a tool's error reaches
 * the model, which goes on; an execution that fails before its run's end is recorded (CallModel's
 * and MarkFailed's retries outlasted) is redriven; a decision the API stored but could not deliver
 * is delivered by its sweep. `loop`: every function's but the API's. `tools`: the tools' functions' only.
 */
export type OutageScope = 'loop' | 'tools' | 'all';
export const OUTAGE_SCOPES: readonly OutageScope[] = ['loop', 'tools', 'all'];

/** Whether a function of the world meets its seed's outage. */
const hasOutages = (scope: OutageScope, functionName: string): boolean =>
  scope === 'all' || (scope === 'loop' ? functionName !== 'Api' : TOOL_NAMES.has(functionName));

/** Signs the simulated Slack callbacks. */
export const SIM_SLACK_SECRET = 'sim-slack-signing-secret';

/** How long an approval waits in the simulated world: a late decision comes after it (real time: the timer is the engine's). */
export const SIM_APPROVAL_TIMEOUT_MS = 3000;

/**
 * How much longer the execution waits (the task's backstop after the store's expiry; a minute
 * deployed): more than the clocks differ and than a decision's request takes on a busy machine.
 */
export const SIM_APPROVAL_GRACE_MS = 3000;

/**
 * The system the simulation runs seeds on: the demo app on the local system (the synthesized state
 * machine, the real handlers with every guard, dynalite), every function's DynamoDB client, and each
 * Lambda invocation the state machine makes, meeting the faults of the seed whose work reached it,
 * each function on its own clock. A seed's work runs inside its plan's async context, so seeds can
 * run side by side; anything else (a sweep, a resume) meets no fault.
 */
export const startSimWorld = async (
  /** Whose DynamoDB may have an outage (`OutageScope`). */
  outages: OutageScope = 'all',
): Promise<SimWorld> => {
  const seeds = new AsyncLocalStorage<FaultPlan>();
  // Whichever seed's work reaches a point decides its fault there (none outside a seed).
  const current = {
    decide: ((point, kinds) => seeds.getStore()?.decide(point, kinds)) as FaultPlan['decide'],
    outage: (functionName: string) => hasOutages(outages, functionName) && (seeds.getStore()?.outage(functionName) ?? false),
  };
  const lambdaFaults = injectLambdaFaults(current);
  const trueClocks = installSkewedClocks();
  const toolFailures: ToolFailure[] = [];
  const system = await startDemoSystem({
    tools: watchedTools(toolCatalog.tools, () => seeds.getStore(), toolFailures),
    stack: { spendBudgets: { limits: [{ scope: 'user', window: 'day', toolCalls: SIM_USER_DAY_TOOL_CALLS }] } },
    instrumentDynamoDb: (functionName, client) => {
      const effect = SIDE_EFFECTS[functionName];
      injectDynamoDbFaults(functionName, client, current, (command, input) => {
        if (effect?.(command, input)) seeds.getStore()?.landed(functionName);
      });
      virtualRetryPauses(client, (ms) => seeds.getStore()?.pause(ms));
    },
    // Each function runs on its own clock in the seed (the engine and dynalite on true time).
    instrumentInvoke: (functionName, invoke) => lambdaFaults(functionName, () => onFunctionClock(seeds.getStore(), functionName, invoke)),
    // Time is virtual: the state machine's retries happen as synthesized, without their pauses.
    retryPauseMs: 0,
    approvalTimeoutMs: SIM_APPROVAL_TIMEOUT_MS,
    approvalGraceMs: SIM_APPROVAL_GRACE_MS,
    slackSigningSecret: SIM_SLACK_SECRET,
    users: SIM_APPROVERS.map(({ userId, groups, token }) => ({ userId, groups: [...groups], token })),
  });
  return {
    system: {
      ...system,
      stop: async () => {
        await system.stop();
        trueClocks();
      },
    },
    inPlan: (plan, work) => seeds.run(plan, work),
    toolFailures,
  };
};

/** Runs a function's work on its clock in the seed (true time outside a seed). */
export const onFunctionClock = <T>(plan: FaultPlan | undefined, functionName: string, work: () => Promise<T>): Promise<T> =>
  onClock(plan?.clockOffsetMs(functionName) ?? 0, work);

type Item = Record<string, { S?: string; SS?: string[] } | undefined>;

/**
 * The demo's side effects the invariants count, as each lands in its table (a request that took
 * effect, whatever its caller was told next), by the tool that makes it: a ticket written, a refund
 * added to its order.
 */
const SIDE_EFFECTS: Readonly<Record<string, (command: string, input: unknown) => boolean>> = {
  create_ticket: (command, input) => command === 'PutItem' && Boolean((input as { Item?: Item }).Item?.ticket?.S),
  refund_order: (command, input) =>
    command === 'UpdateItem' &&
    Boolean((input as { ExpressionAttributeValues?: Item }).ExpressionAttributeValues?.[':id']?.SS?.[0]?.startsWith('RFD-')),
};

/**
 * Warms the world with one seed that meets no fault: what a function does once per container (the
 * first commit finds out whether the engine has transactions) is done before any seed counts its
 * requests, so a seed replayed alone meets the faults it met among the others.
 */
export const warmUp = async (world: SimWorld, play: (world: SimWorld) => Promise<unknown>): Promise<void> => {
  await play(world);
};

export interface SimWorld {
  readonly system: DemoSystem;
  /** Runs `work` with the plan's faults (its requests, and everything they start, meet them). */
  readonly inPlan: <T>(plan: FaultPlan, work: () => Promise<T>) => Promise<T>;
  /** Every failure of a tool's own handler in this world, as it happened (the breakers' invariant). */
  readonly toolFailures: readonly ToolFailure[];
}
