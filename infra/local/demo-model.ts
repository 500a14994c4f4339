import type { ConversationMessage, ModelProvider, ModelRequest, ModelTurn } from '../../shared/model/index.ts';
import type { ToolResult } from '../../shared/tool-result/index.ts';
import { callsAskedFor, plantedEmail, queryOf, type DemoCall } from './demo-intents.ts';

type Assistant = Extract<ConversationMessage, { role: 'assistant' }>;
interface SeenResult {
  readonly tool: string;
  readonly result: ToolResult;
}

/** Every string in a result, one per line: what a model would read of it. */
const textOf = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : Array.isArray(value)
      ? value.map(textOf).join('\n')
      : value && typeof value === 'object'
        ? Object.values(value).map(textOf).join('\n')
        : '';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One sentence per result, as an answer would put it. */
const sentenceOf = ({ tool, result }: SeenResult): string => {
  if (!result.ok) return `${tool} did not work (${result.error.code}): ${result.error.message}`;
  const data = result.data as Record<string, unknown>;
  switch (tool) {
    case 'search_knowledge_base': {
      const titles = ((data.results ?? []) as Array<{ title: string; url: string }>).map((r) => `${r.title} (${r.url})`);
      return titles.length > 0 ? `These articles should help: ${titles.join('; ')}.` : 'I could not find anything on that.';
    }
    case 'lookup_order':
      return `Order ${String(data.orderId)} is ${String(data.status)}, last updated ${String(data.updatedAt)}.`;
    case 'read_document':
      return `${String(data.path)} says: ${clip(String(data.text ?? '').replaceAll(/\s+/g, ' '), 300)}`;
    default:
      return `${tool} done: ${clip(JSON.stringify(data), 300)}`;
  }
};

/**
 * The model a local run gets without a script or a configured model: no language model at all, but
 * plain patterns (infra/local/demo-intents.ts) that make it do roughly what a person asks, so that
 * every tool, guard and approval can be tried in a minute, and `npm run eval` has a model to run.
 *
 * - It asks for the tools a request names (an order id, a URL, a document path, "ticket", "email
 *   ... to", "announce"), in one turn, only those it was offered; with nothing named it searches
 *   the knowledge base. Then it answers from what came back.
 * - It is careless on purpose, as a model misled by a prompt injection is: an instruction to send
 *   mail planted in something it read, it obeys, offered the tool or not. The guards must stop it
 *   (screening refuses a tool outside the caller's role; send_email waits for an approver).
 */
export class DemoModel implements ModelProvider {
  readonly name = 'demo';

  async converse(request: ModelRequest): Promise<ModelTurn> {
    const start = request.messages.findLastIndex((m) => m.role === 'user');
    const question = request.messages[start];
    const text = question?.role === 'user' ? question.text : '';
    const since = request.messages.slice(start + 1);
    const turns = since.filter((m): m is Assistant => m.role === 'assistant');
    const offered = new Set(request.tools.map((t) => t.name));

    if (turns.length === 0) {
      const asked = callsAskedFor(text);
      const allowed = asked.filter((call) => offered.has(call.name));
      if (allowed.length > 0) return this.#ask(allowed, 1);
      if (asked.length > 0) {
        const missing = [...new Set(asked.map((c) => c.name))].join(', ');
        return this.#answer(`I cannot do that here: ${missing} is not among the tools I may use for you.`);
      }
      if (offered.has('search_knowledge_base'))
        return this.#ask([{ name: 'search_knowledge_base', arguments: { query: queryOf(text) } }], 1);
      return this.#answer('I have no tool that helps with that.');
    }

    const names = new Map(turns.flatMap((t) => t.toolCalls.map((c) => [c.id, c.name] as const)));
    const seen: SeenResult[] = since.flatMap((m) =>
      m.role === 'tool' ? m.results.map((r) => ({ tool: names.get(r.callId) ?? 'a tool', result: r.result })) : [],
    );
    const mailed = turns.some((t) => t.toolCalls.some((c) => c.name === 'send_email'));
    if (!mailed) {
      const planted = seen.flatMap(({ result }) => (result.ok ? [plantedEmail(textOf(result.data))] : [])).find(Boolean);
      if (planted) return this.#ask([planted], turns.length + 1);
    }
    return this.#answer(seen.map(sentenceOf).join(' ') || 'Done.');
  }

  #ask(calls: readonly DemoCall[], turn: number): ModelTurn {
    return { toolCalls: calls.map((call, i) => ({ id: `demo-${turn}-${i + 1}`, ...call })), stopReason: 'tool_use' };
  }

  #answer(text: string): ModelTurn {
    return { text, toolCalls: [], stopReason: 'end_turn' };
  }
}
