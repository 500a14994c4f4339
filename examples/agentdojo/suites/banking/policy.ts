import type { Voucher } from 'guarded-agents';

/**
 * The banking suite's information-flow policy, declared once for every task (and never naming
 * one). Untrusted sources: read_file (bills and letters come from outside) and
 * get_most_recent_transactions (anyone who sends money writes a subject). Sinks: send_money,
 * schedule_transaction and update_scheduled_transaction (money goes to their recipient) and
 * update_password (whoever chose the password gets the account). Once untrusted content is in a
 * run, a sink's call waits for a person unless each of its sink arguments is vouched for:
 * - a recipient the user wrote in the request, or one the user already pays (a payee);
 * - a password the user wrote in the request.
 */
export const PAYEE_VOUCHERS: readonly Voucher[] = ['prompt', 'record:payee'];

/**
 * The user's payees: recipients of the account's own payments and standing orders. No outsider
 * writes these fields (an incoming payment names the account as its recipient), and every way to
 * add one (a payment, a standing order, a changed recipient) is a sink call whose recipient was
 * vouched for or approved. Subjects, which anyone can write, are never read.
 */
export const payeesIn = (result: unknown): string[] =>
  (Array.isArray(result) ? result : []).flatMap((t: { recipient?: unknown }) =>
    typeof t.recipient === 'string' && t.recipient !== 'me' ? [t.recipient] : [],
  );
