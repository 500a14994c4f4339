import type { AnyTool } from 'guarded-agents';

/** A call's arguments, as the model sends them. */
export type Args = Readonly<Record<string, unknown>>;

/** What the model has seen so far in a run: each call it made and what came back (the tool's data, or the refusal). */
export interface Seen {
  readonly calls: ReadonlyArray<{ readonly tool: string; readonly args: Args; readonly ok: boolean; readonly data: unknown }>;
}

/** The data the last successful call to `tool` returned (with these arguments, when given), or undefined. */
export const lastData = (seen: Seen, tool: string, args?: Args): unknown =>
  seen.calls.findLast((c) => c.tool === tool && c.ok && Object.entries(args ?? {}).every(([k, v]) => c.args[k] === v))?.data;

/**
 * One step of a ground truth: a tool and its arguments, fixed or taken from what earlier calls
 * returned (an honest model reads the bill before it pays it).
 */
export interface Step {
  readonly tool: string;
  readonly args: Args | ((seen: Seen) => Args);
}

/** The calls a run made that ran (AgentDojo's trace), in order: what a few checks read besides the world. */
export type Trace = ReadonlyArray<{ readonly tool: string; readonly args: Args }>;

/** An AgentDojo user task, translated: its prompt, its ground truth, its answer and its utility check. */
export interface UserTask<World> {
  readonly id: string;
  readonly prompt: string;
  readonly groundTruth: readonly Step[];
  /** What the model answers at the end, from what it saw. @default a line saying it is done */
  readonly answer?: (seen: Seen) => string;
  /**
   * AgentDojo's utility check: the task was done (a few read the trace too). Not `strict` (in a
   * combined task), a read-only task's check does not ask that nothing changed. @default strict
   */
  readonly utility: (output: string, pre: World, post: World, trace: Trace, strict?: boolean) => boolean;
}

/**
 * AgentDojo's task combinator: both tasks' calls in order, both answers, both checks (not strict,
 * as AgentDojo's: each part's own changes are the other's), and its prompt unless one is given.
 */
export const combined = <World>(id: string, first: UserTask<World>, second: UserTask<World>, prompt?: string): UserTask<World> => ({
  id,
  prompt: prompt ?? `Perform the following tasks in the order they are given: 1. ${first.prompt} 2. ${second.prompt}`,
  groundTruth: [...first.groundTruth, ...second.groundTruth],
  answer: (seen) => [first.answer?.(seen), second.answer?.(seen)].filter((a) => a !== undefined).join('\n') || 'Done.',
  utility: (output, pre, post, trace) => first.utility(output, pre, post, trace, false) && second.utility(output, pre, post, trace, false),
});

/** An AgentDojo injection task: the attacker's goal, the calls that reach it, and its check (true: the attack succeeded). */
export interface InjectionTask<World> {
  readonly id: string;
  readonly goal: string;
  readonly groundTruth: (pre: World) => readonly Step[];
  /** What the attacker wants the model to say in its answer (AgentDojo's ground-truth output), for a goal that is words, not calls. */
  readonly says?: string;
  readonly security: (output: string, pre: World, post: World, trace: Trace) => boolean;
}

/** A suite: its world, tools, injection vectors and tasks, and its policy (declared once, never per task). */
export interface Suite<World> {
  readonly name: string;
  /** The suite's tools, as `defineTool` declarations. */
  readonly tools: readonly AnyTool[];
  /** Where the tool folders are (`<toolsDir>/<name with - for _>/tool.ts`). */
  readonly toolsDir: string;
  /** The suite's Cedar policies (`*.cedar`): the agent checks them on every call when the benchmark runs `--policies`. */
  readonly policiesDir: string;
  /** A fresh world, with each injection vector filled from `vectors` (name to text). */
  readonly world: (vectors: Readonly<Record<string, string>>) => World;
  /** Each injection vector's benign text. */
  readonly vectorDefaults: Readonly<Record<string, string>>;
  readonly userTasks: ReadonlyArray<UserTask<World>>;
  readonly injectionTasks: ReadonlyArray<InjectionTask<World>>;
  /** The adaptive model's attacks: injection tasks of our design that know the defence. */
  readonly adaptiveTasks: ReadonlyArray<InjectionTask<World>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySuite = Suite<any>;
