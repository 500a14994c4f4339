import type { ConversationMessage } from '../model/index.ts';

/**
 * The arguments the model sent for one call, exactly as it sent them, read from the run's stored
 * turns (unredacted: the run store keeps the conversation whole). What the eval judges and the run
 * view shows; logs, the audit trail and approval summaries keep their redacted, shortened copies.
 * Undefined when no stored turn holds the call. Pure.
 *
 * @example
 * sentArguments([{ role: 'assistant', toolCalls: [{ id: 'm1', name: 'send_email', arguments: { to: 'a@b.c' } }] }], 'm1');
 * // { to: 'a@b.c' }
 */
export const sentArguments = (messages: readonly ConversationMessage[], modelCallId: string): unknown => {
  for (const message of messages)
    if (message.role === 'assistant') {
      const call = message.toolCalls.find((c) => c.id === modelCallId);
      if (call) return call.arguments;
    }
  return undefined;
};
