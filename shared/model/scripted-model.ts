import * as z from 'zod/mini';
import type { ModelProvider, ModelRequest, ModelTurn } from './conversation.ts';
import { ScriptExhaustedError } from './errors.ts';

/**
 * The scripted model of DESIGN.md: each turn is what the model answers on that iteration. It plays
 * the part of a model, including a compromised one, so its output goes through every guard.
 */
export const modelScriptSchema = z.strictObject({
  provider: z.literal('scripted'),
  turns: z
    .array(
      z.union([
        z.strictObject({ text: z.string().check(z.maxLength(10_000)) }),
        z.strictObject({
          text: z.optional(z.string().check(z.maxLength(10_000))),
          toolCalls: z
            .array(z.strictObject({ name: z.string().check(z.maxLength(200)), arguments: z.unknown() }))
            .check(z.minLength(1), z.maxLength(32)),
        }),
      ]),
    )
    .check(z.minLength(1), z.maxLength(100)),
});
export type ModelScript = z.output<typeof modelScriptSchema>;

/** Plays a script: the turn index is the number of assistant turns already in the conversation. */
export class ScriptedModel implements ModelProvider {
  readonly name = 'scripted';
  readonly #script: ModelScript;

  constructor(script: ModelScript) {
    this.#script = script;
  }

  async converse(request: ModelRequest): Promise<ModelTurn> {
    const index = request.messages.filter((m) => m.role === 'assistant').length;
    const turn = this.#script.turns[index];
    if (!turn) throw new ScriptExhaustedError(index);
    const calls = 'toolCalls' in turn ? turn.toolCalls : [];
    return {
      ...(turn.text === undefined ? {} : { text: turn.text }),
      toolCalls: calls.map((call, i) => ({ id: `call-${index + 1}-${i + 1}`, name: call.name, arguments: call.arguments })),
      stopReason: calls.length > 0 ? 'tool_use' : 'end_turn',
    };
  }
}
