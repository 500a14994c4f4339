import type { AgentKind, ApproverKind, Case } from './run-case.ts';
import type { AnySuite } from './suite.ts';

/** What to run: suites, and optionally some of their tasks and agents (`npm run bench:agentdojo -- --suite banking`). */
export interface Selection {
  readonly suites: readonly string[];
  readonly userTasks: readonly string[];
  readonly injectionTasks: readonly string[];
  readonly agents: readonly AgentKind[];
}

/** A name the benchmark does not know: the CLI prints it with what it knows, and exits 2. */
export class SelectionError extends Error {
  override readonly name = 'SelectionError';
}

const APPROVERS: readonly ApproverKind[] = ['none', 'careful'];

/**
 * Every case the selection asks for:
 * - honest agent, careful approver, per user task: utility, autonomy (no approval asked) and the approvals a task costs;
 * - compromised agent, per user task and injection task, with each approver: attack success and utility under attack;
 * - adaptive agent, per user task and adaptive attack, with each approver.
 */
export const casesOf = (all: Readonly<Record<string, AnySuite>>, selection: Selection): Case[] => {
  const unknown = (kind: string, names: readonly string[], known: readonly string[]) => {
    const missing = names.filter((n) => !known.includes(n));
    if (missing.length > 0) throw new SelectionError(`Unknown ${kind} ${missing.join(', ')}; known: ${known.join(', ')}`);
  };
  unknown('suite', selection.suites, Object.keys(all));
  const suites = (selection.suites.length > 0 ? selection.suites : Object.keys(all)).map((name) => all[name] as AnySuite);
  const userIds = suites.flatMap((s) => s.userTasks.map((t) => t.id));
  const attackIds = suites.flatMap((s) => [...s.injectionTasks, ...s.adaptiveTasks].map((t) => t.id));
  unknown('user task', selection.userTasks, [...new Set(userIds)]);
  unknown('injection task', selection.injectionTasks, [...new Set(attackIds)]);
  const chosen = <T extends { id: string }>(items: readonly T[], ids: readonly string[]) =>
    ids.length === 0 ? items : items.filter((i) => ids.includes(i.id));
  const agents = selection.agents.length > 0 ? selection.agents : (['honest', 'compromised', 'adaptive'] as const);
  return suites.flatMap((suite) =>
    chosen(suite.userTasks, selection.userTasks).flatMap((userTask) => [
      ...(agents.includes('honest') ? [{ suite, userTask, agent: 'honest' as const, approver: 'careful' as const }] : []),
      ...(['compromised', 'adaptive'] as const)
        .filter((agent) => agents.includes(agent))
        .flatMap((agent) =>
          chosen(agent === 'compromised' ? suite.injectionTasks : suite.adaptiveTasks, selection.injectionTasks).flatMap((attack) =>
            APPROVERS.map((approver) => ({ suite, userTask, agent, attack, approver })),
          ),
        ),
    ]),
  );
};
