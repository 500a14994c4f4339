import type { FlowEvidence } from '../../../shared/guards/index.ts';
import type { ConversationMessage } from '../../../shared/model/index.ts';
import type { ToolRegistry } from '../../../shared/tool/index.ts';

/**
 * What a run holds that can vouch for a sink's arguments (shared/guards, `vouchFor`): its request,
 * and the values of the user's own records that its calls returned, read from the stored
 * conversation by each tool's `records`. Pure and deterministic, so a repeated step finds the same.
 * A result a record cannot read (cut short, another shape) gives nothing: the sink then waits.
 */
export const flowEvidence = (registry: ToolRegistry, prompt: string, messages: readonly ConversationMessage[]): FlowEvidence => {
  const toolOf = new Map<string, string>();
  for (const message of messages) if (message.role === 'assistant') for (const call of message.toolCalls) toolOf.set(call.id, call.name);
  const records = new Map<string, Set<string>>();
  for (const message of messages) {
    if (message.role !== 'tool') continue;
    for (const { callId, result } of message.results) {
      const picks = result.ok ? registry.resolve(toolOf.get(callId) ?? '')?.records : undefined;
      for (const [name, pick] of Object.entries(picks ?? {})) {
        const values = picked(pick, result.ok ? result.data : undefined);
        const known = records.get(name) ?? new Set<string>();
        for (const value of values) if (typeof value === 'string' && value.trim()) known.add(value.trim().toLowerCase());
        records.set(name, known);
      }
    }
  }
  return { prompt, records };
};

/** A record's values in a result; none when the result is not the shape it reads. */
const picked = (pick: (result: unknown) => readonly unknown[], data: unknown): readonly unknown[] => {
  try {
    const values = pick(data);
    return Array.isArray(values) ? values : [];
  } catch {
    return [];
  }
};
