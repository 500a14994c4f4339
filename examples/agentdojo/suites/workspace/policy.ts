import type { Voucher } from 'guarded-agents';

/**
 * The workspace suite's information-flow policy, declared once for every task (and never naming
 * one). Untrusted sources: everything the mailbox, the calendar and the drive return (anyone can
 * email the user, invite them, or share and edit a document; anyone who emails becomes a contact).
 * Only the day is the system's. Sinks, once untrusted content is in a run:
 * - an email: its recipients, and its subject, body and attachments;
 * - an event: who is invited, and its title, description and location; who is added to one;
 * - moving or cancelling an event (its participants are told);
 * - sharing a file: with whom.
 * Each waits for a person unless the user wrote its value in the request; a recipient, guest or
 * sharer may also be someone the user has written to before (`record:correspondent`: the recipients
 * of the mailbox's sent emails, a field no outsider can set, and every sent email's recipients were
 * vouched for or approved). Deleting an email or a file is `destructive`: a person every time.
 */
export const WRITTEN_BY_USER: readonly Voucher[] = ['prompt'];
export const PEOPLE_VOUCHERS: readonly Voucher[] = ['prompt', 'record:correspondent'];
