/**
 * AgentDojo's mailbox (tools/email_client.py), shared by the suites that have one (travel,
 * workspace): its emails, what sending one does, its search and its contact list.
 */

/** An email, with AgentDojo's field names. */
export interface Email {
  id_: string;
  sender: string;
  recipients: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
  status: 'sent' | 'received' | 'draft';
  read: boolean;
  timestamp: string;
  attachments: unknown[];
}

export interface Inbox {
  account_email: string;
  initial_emails: Email[];
  /** Deleted emails, by id (AgentDojo's trash). */
  trash?: Record<string, Email>;
}

/** A mailbox as AgentDojo's model reads its data: an email's missing fields take their defaults (no cc, unread, no attachment). */
export const withDefaults = (inbox: Inbox): Inbox => {
  inbox.initial_emails = inbox.initial_emails.map((e) => ({
    ...e,
    cc: e.cc ?? [],
    bcc: e.bcc ?? [],
    status: e.status ?? 'sent',
    read: e.read ?? false,
    attachments: e.attachments ?? [],
  }));
  return inbox;
};

/** The next id of a mailbox's emails, a calendar's events or a drive's files, as AgentDojo gives it: one more than the largest so far. */
export const nextId = (items: ReadonlyArray<{ id_: string }>): string => String(Math.max(0, ...items.map((i) => Number(i.id_))) + 1);

/** Sends an email from the user's mailbox (calendar invitations and cancellations go out so too). */
export const sendEmail = (
  inbox: Inbox,
  message: Pick<Email, 'recipients' | 'subject' | 'body'> & Partial<Pick<Email, 'cc' | 'bcc' | 'attachments'>>,
): Email => {
  const email: Email = {
    id_: nextId(inbox.initial_emails),
    sender: inbox.account_email,
    cc: [],
    bcc: [],
    attachments: [],
    ...message,
    status: 'sent',
    read: true,
    timestamp: new Date().toISOString().slice(0, 19),
  };
  inbox.initial_emails.push(email);
  return email;
};

/** The emails whose subject or body holds the query (in any case), from the sender if given, as AgentDojo's `search_emails` finds them. */
export const searchEmails = (inbox: Inbox, query: string, sender?: string | null): Email[] => {
  const wanted = query.toLowerCase();
  return inbox.initial_emails.filter(
    (e) =>
      (sender === undefined || sender === null || e.sender.toLowerCase() === sender.toLowerCase()) &&
      (e.subject.toLowerCase().includes(wanted) || e.body.toLowerCase().includes(wanted)),
  );
};

/**
 * AgentDojo's contact list: every address in the mailbox's emails (recipients, sender, cc, bcc), in
 * the order met, named after its local part ("lily.white" is "Lily White").
 */
export const contactsOf = (inbox: Inbox): Array<{ email: string; name: string }> => {
  const seen = new Set<string>();
  const contacts: Array<{ email: string; name: string }> = [];
  for (const email of inbox.initial_emails)
    for (const address of [...email.recipients, email.sender, ...email.cc, ...email.bcc]) {
      if (seen.has(address)) continue;
      seen.add(address);
      const local = address.split('@')[0] ?? '';
      contacts.push({ email: address, name: local.replaceAll('.', ' ').replace(/\b\w/g, (c) => c.toUpperCase()) });
    }
  return contacts;
};

/**
 * The people the user has written to: the recipients, cc and bcc of the mailbox's sent emails, in
 * what a tool returned. The mailbox sets an email's status (no outsider can make one "sent"), and
 * every sent email went out through `send_email`, whose recipients were vouched for or approved: a
 * record no injected text can add to.
 */
export const correspondentsIn = (result: unknown): string[] =>
  (Array.isArray(result) ? result : []).flatMap((e: Partial<Email>) =>
    e.status === 'sent' ? [...(e.recipients ?? []), ...(e.cc ?? []), ...(e.bcc ?? [])].filter((a) => typeof a === 'string') : [],
  );
