import type { AnySuite, Args, Seen, UserTask } from './suite.ts';
import { closeWorld, openWorld } from './worlds.ts';

/**
 * The calls the user's task makes on a world, with their concrete arguments: the honest agent's
 * ground truth played straight on the tools' handlers (a scratch copy of the case's world, nothing
 * else touched). What the careful approver approves, and nothing else.
 */
export const referenceCalls = async (
  suite: AnySuite,
  task: UserTask<unknown>,
  world: unknown,
): Promise<Array<{ tool: string; args: Args }>> => {
  const scratch = `reference-${crypto.randomUUID()}`;
  openWorld(scratch, structuredClone(world));
  try {
    const calls: Array<Seen['calls'][number]> = [];
    for (const step of task.groundTruth) {
      const args = typeof step.args === 'function' ? step.args({ calls }) : step.args;
      const tool = suite.tools.find((t) => t.name === step.tool);
      if (!tool) throw new Error(`${suite.name} ${task.id}: no tool ${step.tool}`);
      const data: unknown = await tool.handler(args, {
        runId: scratch,
        callId: `${calls.length + 1}`,
        caller: { userId: scratch, groups: [] },
        signal: AbortSignal.timeout(5000),
        deps: {},
      });
      calls.push({ tool: step.tool, args, ok: true, data });
    }
    return calls.map(({ tool, args }) => ({ tool, args }));
  } finally {
    closeWorld(scratch);
  }
};
