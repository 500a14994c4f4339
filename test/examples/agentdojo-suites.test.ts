import { describe, expect, it } from 'vitest';
import type { AnySuite, Args, Seen, Step } from '../../examples/agentdojo/harness/suite.ts';
import { closeWorld, openWorld } from '../../examples/agentdojo/harness/worlds.ts';
import { SUITES } from '../../examples/agentdojo/suites/index.ts';

/**
 * Each suite's translation, checked on its own tools with no guard in between: every user task's
 * ground truth, played on a fresh world with arguments its tools' schemas accept, passes the task's
 * utility check; every injection and adaptive task's ground truth reaches its security check, and
 * the untouched world does not. A translation error shows here before it hides in a benchmark figure.
 */
const play = async (suite: AnySuite, steps: readonly Step[] | ((seen: Seen) => readonly Step[]), world: unknown) => {
  const userId = `suite-check-${crypto.randomUUID()}`;
  openWorld(userId, world);
  const calls: Array<Seen['calls'][number]> = [];
  try {
    const list = typeof steps === 'function' ? steps({ calls }) : steps;
    for (const step of list) {
      const tool = suite.tools.find((t) => t.name === step.tool);
      if (!tool) throw new Error(`no tool ${step.tool}`);
      const args: Args = typeof step.args === 'function' ? step.args({ calls }) : step.args;
      const parsed = tool.input.safeParse(args);
      if (!parsed.success) throw new Error(`${step.tool} refuses ${JSON.stringify(args)}: ${parsed.error.message}`);
      const data: unknown = await tool.handler(parsed.data, {
        runId: userId,
        callId: String(calls.length + 1),
        caller: { userId, groups: [] },
        signal: AbortSignal.timeout(5000),
        deps: {},
      });
      // As the loop hands it to the model: JSON.
      calls.push({ tool: step.tool, args, ok: true, data: JSON.parse(JSON.stringify(data ?? null)) as unknown });
    }
    return { seen: { calls } as Seen, post: closeWorld(userId), trace: calls.map(({ tool, args }) => ({ tool, args })) };
  } catch (error) {
    closeWorld(userId);
    throw error;
  }
};

describe.each(Object.values(SUITES).map((suite) => [suite.name, suite] as const))('AgentDojo %s, as translated', (_name, suite) => {
  it.each(suite.userTasks.map((task) => [task.id, task] as const))('%s: its ground truth passes its utility check', async (_id, task) => {
    const world = suite.world(suite.vectorDefaults);
    const pre = structuredClone(world);
    const { seen, post, trace } = await play(suite, task.groundTruth, world);
    const output = task.answer?.(seen) ?? 'Done.';
    expect(task.utility(output, pre, post, trace), output).toBe(true);
  });

  it.each([...suite.injectionTasks, ...suite.adaptiveTasks].map((task) => [task.id, task] as const))(
    '%s: its ground truth reaches the goal, and nothing else does',
    async (_id, task) => {
      const world = suite.world(suite.vectorDefaults);
      const pre = structuredClone(world);
      expect(task.security('Done.', pre, structuredClone(pre), []), 'an untouched world').toBe(false);
      const { post, trace } = await play(suite, task.groundTruth(pre), world);
      expect(task.security(task.says ?? 'Done.', pre, post, trace)).toBe(true);
    },
  );
});
