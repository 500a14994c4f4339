import type { ModelProvider, ModelRequest, ModelTurn } from '../../shared/model/conversation.ts';

/**
 * What a local run does without a script or a configured model: look the question up in the
 * knowledge base, then answer with what it found. Enough to see a run, a tool call and the audit.
 */
export class DemoModel implements ModelProvider {
  readonly name = 'demo';

  async converse(request: ModelRequest): Promise<ModelTurn> {
    const lastTool = [...request.messages].reverse().find((m) => m.role === 'tool');
    const canSearch = request.tools.some((t) => t.name === 'search_knowledge_base');
    if (!lastTool && canSearch) {
      const question = request.messages.find((m) => m.role === 'user');
      // The input is data: it only becomes a (validated, bounded) tool argument.
      const query =
        (question && 'text' in question ? question.text : 'help')
          .replaceAll(/[^\p{L}\p{N} ?.,-]/gu, ' ')
          .slice(0, 200)
          .trim() || 'help';
      return { toolCalls: [{ id: 'demo-search', name: 'search_knowledge_base', arguments: { query } }], stopReason: 'tool_use' };
    }
    const found = lastTool && lastTool.role === 'tool' ? lastTool.results[0]?.result : undefined;
    const titles = found?.ok
      ? ((found.data as { results?: Array<{ title: string; url: string }> }).results ?? []).map((r) => `${r.title} (${r.url})`)
      : [];
    return {
      text: titles.length > 0 ? `These articles should help: ${titles.join('; ')}.` : 'I could not find anything on that.',
      toolCalls: [],
      stopReason: 'end_turn',
    };
  }
}
