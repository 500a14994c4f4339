import { AsyncLocalStorage } from 'node:async_hooks';
import { startDemoSystem, type DemoSystem } from '../local/demo-app.ts';
import { injectDynamoDbFaults } from './dynamodb-faults.ts';
import { injectLambdaFaults } from './lambda-faults.ts';
import type { FaultPlan } from './fault-plan.ts';

/**
 * The system the simulation runs seeds on: the demo app on the local system (the synthesized state
 * machine, the real handlers with every guard, dynalite), every function's DynamoDB client, and each
 * Lambda invocation the state machine makes, meeting the faults of the seed whose work reached it. A seed's work runs inside its plan's async
 * context, so seeds can run side by side; anything else (a sweep, a resume) meets no fault.
 */
export const startSimWorld = async (): Promise<SimWorld> => {
  const seeds = new AsyncLocalStorage<FaultPlan>();
  // Whichever seed's work reaches a point decides its fault there (none outside a seed).
  const current = { decide: ((point, kinds) => seeds.getStore()?.decide(point, kinds)) as FaultPlan['decide'] };
  const system = await startDemoSystem({
    instrumentDynamoDb: (functionName, client) => injectDynamoDbFaults(functionName, client, current),
    instrumentInvoke: injectLambdaFaults(current),
  });
  return { system, inPlan: (plan, work) => seeds.run(plan, work) };
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
}
