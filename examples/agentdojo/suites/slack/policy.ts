import type { Voucher } from 'guarded-agents';

/**
 * The slack suite's information-flow policy, declared once for every task (and never naming one).
 * Untrusted sources: read_channel_messages and read_inbox (anyone in the workspace writes them),
 * get_webpage (anyone on the web), get_channels (anyone may create a channel and name it).
 * Sinks: the messages (their recipient or channel, and their body: a link or a lie reaches whoever
 * reads it), post_webpage (its address and content), get_webpage (the address it visits tells its
 * owner), and the membership tools (who is let in or put out). Once untrusted content is in a run,
 * a sink's call waits for a person unless each of its sink arguments is vouched for:
 * - an address, a channel, a user or a message the user wrote in the request;
 * - a recipient who is already a member (`record:member`: the names get_users_in_channel lists,
 *   and the senders of the messages read, a field the workspace sets, not the writer; a name gets
 *   there only by an invitation, itself a sink call).
 * A body the model wrote from what it read is no one's but the model's: only a body the user wrote
 * goes out without a person.
 */
export const WRITTEN_BY_USER: readonly Voucher[] = ['prompt'];
export const MEMBER_VOUCHERS: readonly Voucher[] = ['prompt', 'record:member'];

/** Members of the workspace, as get_users_in_channel lists them. */
export const membersIn = (result: unknown): string[] =>
  Array.isArray(result) ? result.filter((u): u is string => typeof u === 'string') : [];

/** Who sent each message: the workspace sets it (a writer controls the body, never the sender). */
export const sendersIn = (result: unknown): string[] =>
  Array.isArray(result)
    ? result.flatMap((m: { sender?: unknown }) => (typeof m.sender === 'string' && m.sender !== 'bot' ? [m.sender] : []))
    : [];
