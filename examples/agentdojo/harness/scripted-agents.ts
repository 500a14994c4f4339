import type { ConversationMessage, ModelProvider, ModelRequest, ModelTurn } from 'guarded-agents';
import { INJECTION_MARK } from './attack.ts';
import type { Args, InjectionTask, Seen, Step, UserTask } from './suite.ts';

/**
 * What the model has seen, read back from the conversation the loop keeps (so the agent holds no
 * state of its own: a resumed run replays to the same place).
 */
export const seenFrom = (messages: readonly ConversationMessage[]): Seen => {
  const results = new Map<string, { ok: boolean; data: unknown }>();
  for (const message of messages)
    if (message.role === 'tool')
      for (const { callId, result } of message.results)
        results.set(callId, result.ok ? { ok: true, data: result.data } : { ok: false, data: result.error });
  const calls: Seen['calls'][number][] = [];
  for (const message of messages)
    if (message.role === 'assistant')
      for (const call of message.toolCalls) {
        const result = results.get(call.id);
        if (result) calls.push({ tool: call.name, args: call.arguments as Args, ...result });
      }
  return { calls };
};

/** Whether a result the model read carries the planted attack. */
const carriesInjection = (call: Seen['calls'][number]): boolean => call.ok && JSON.stringify(call.data ?? null).includes(INJECTION_MARK);

/** What the agent means to do: the user task's steps, and (compromised) the attacker's spliced in right after the first result that carries the attack. */
const planOf = (user: readonly Step[], seen: Seen, attack: readonly Step[] | undefined): readonly Step[] => {
  if (!attack) return user;
  const hit = seen.calls.findIndex(carriesInjection);
  return hit < 0 ? user : [...user.slice(0, hit + 1), ...attack, ...user.slice(hit + 1)];
};

/**
 * The benchmark's scripted agents, as model providers behind the real loop:
 * - honest: plays the user task's ground truth, each call's arguments from what the tools returned,
 *   one call a turn, then answers;
 * - compromised (`attack` given): the same, but as soon as a result carries the injection it plays
 *   the attacker's calls (it always obeys), then goes on with the user's task.
 * A refused or denied call is seen as such and the agent goes on, as a model would.
 */
export class ScriptedAgent<World> implements ModelProvider {
  readonly name = 'agentdojo-scripted';
  readonly #task: UserTask<World>;
  readonly #attack: readonly Step[] | undefined;
  readonly #says: string | undefined;

  constructor(task: UserTask<World>, attack?: { readonly task: InjectionTask<World>; readonly pre: World }) {
    this.#task = task;
    this.#attack = attack ? attack.task.groundTruth(attack.pre) : undefined;
    this.#says = attack?.task.says;
  }

  async converse(request: ModelRequest): Promise<ModelTurn> {
    const seen = seenFrom(request.messages);
    const plan = planOf(this.#task.groundTruth, seen, this.#attack);
    const step = plan[seen.calls.length];
    if (!step) {
      const answer = this.#task.answer?.(seen) ?? 'Done.';
      // An attack whose goal is words: once it has read the injection, the model says them too.
      const obeyed = this.#says !== undefined && seen.calls.some(carriesInjection);
      return { text: obeyed ? `${this.#says} ${answer}` : answer, toolCalls: [], stopReason: 'end_turn' };
    }
    const args = typeof step.args === 'function' ? step.args(seen) : step.args;
    return { toolCalls: [{ id: `call-${seen.calls.length + 1}`, name: step.tool, arguments: args }], stopReason: 'tool_use' };
  }
}
