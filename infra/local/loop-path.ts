import type { Asl } from '../state-machine-definition.ts';

/** One state of the definition, as the console draws it. */
export interface PathState {
  readonly name: string;
  readonly type: string;
  /** 0 for the machine's own states, 1 for those inside a Map's item processor. */
  readonly depth: number;
  /** Where it may go next: `Next`, a Choice's branches and default, a Catch's handlers; `end` when it may end its flow. */
  readonly next: readonly string[];
  /** How many times the run entered it (each Map item counts). */
  readonly entered: number;
}

type States = Record<string, Record<string, unknown>>;

/** A state's successors, in the order the definition names them. */
const successorsOf = (state: Record<string, unknown>): string[] => {
  const names: string[] = [];
  if (typeof state.Next === 'string') names.push(state.Next);
  for (const choice of (state.Choices as Array<{ Next?: string }> | undefined) ?? []) if (choice.Next) names.push(choice.Next);
  if (typeof state.Default === 'string') names.push(state.Default);
  for (const handler of (state.Catch as Array<{ Next?: string }> | undefined) ?? []) if (handler.Next) names.push(handler.Next);
  return [...new Set(names)];
};

/**
 * The synthesized state machine as a path to draw: its states in the order a run meets them (from
 * `StartAt`, depth first, each Map's item states right after the Map), each with where it may go
 * and how often the run entered it, and what the run cost in state transitions. Built from the very
 * ASL CDK writes (the one local mode runs), so the drawing cannot drift from the deployed machine.
 *
 * @example
 * loopPath(system.definition, system.executions.get(runId)?.states ?? [])
 */
export const loopPath = (definition: Asl, entered: readonly string[], pricePerTransition = 0.025 / 1000) => {
  const counts = new Map<string, number>();
  for (const name of entered) counts.set(name, (counts.get(name) ?? 0) + 1);
  const states: PathState[] = [];
  const visit = (all: States, start: string, depth: number) => {
    const seen = new Set<string>();
    const walk = (name: string) => {
      const state = all[name];
      if (!state || seen.has(name)) return;
      seen.add(name);
      const next = successorsOf(state);
      const type = String(state.Type);
      states.push({
        name,
        type,
        depth,
        next: state.End === true || type === 'Succeed' || type === 'Fail' ? [...next, 'end'] : next,
        entered: counts.get(name) ?? 0,
      });
      const processor = (state.ItemProcessor ?? state.Iterator) as { StartAt: string; States: States } | undefined;
      if (processor) visit(processor.States, processor.StartAt, depth + 1);
      for (const successor of next) walk(successor);
    };
    walk(start);
  };
  visit(definition.States as States, definition.StartAt, 0);
  return { states, transitions: entered.length, costUsd: entered.length * pricePerTransition };
};
