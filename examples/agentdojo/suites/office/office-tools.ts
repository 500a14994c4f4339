import * as z from 'zod/mini';
import { defineTool, ToolDeclinedError, type Voucher } from 'guarded-agents';
import { toolSettings } from '../../harness/tool-settings.ts';
import { worldOf } from '../../harness/worlds.ts';
import { addresses, dateTime, day, FLOW_KEEPS_IT, itemId, orNone, text } from './arguments.ts';
import { type Calendar, CalendarRefusal, cancelEvent, createEvent, eventsOn, searchEvents } from './calendar.ts';
import { type Inbox, sendEmail } from './mailbox.ts';

/**
 * The mailbox and calendar tools that travel and workspace share (AgentDojo shares their functions
 * too). Each suite declares them in its own tool folders, with its own vouchers: the policy is the
 * suite's, the behaviour is AgentDojo's.
 */
export interface OfficeWorld {
  inbox: Inbox;
  calendar: Calendar;
}

/** Runs a calendar change, turning what the calendar refuses (no such event, a bad time) into a refusal the model reads. */
export const refusing = <T>(change: () => T): T => {
  try {
    return change();
  } catch (error) {
    if (error instanceof CalendarRefusal) throw new ToolDeclinedError(error.message);
    throw error;
  }
};

/** An invitation's title and description are its sender's: what the calendar returns is untrusted. */
export const getDayCalendarEventsTool = () =>
  defineTool({
    name: 'get_day_calendar_events',
    description:
      "Get the user's calendar events on the given day. Returns each event with its id, title, description, times, location and participants.",
    input: z.strictObject({ day: day('The day.') }),
    risk: 'read',
    output: 'untrusted',
    ...toolSettings,
    handler: async ({ day: date }, { caller }) => eventsOn(worldOf<OfficeWorld>(caller.userId).calendar, date),
  });

export const searchCalendarEventsTool = () =>
  defineTool({
    name: 'search_calendar_events',
    description:
      "Search the user's calendar events whose title or description holds the query, on a day if given. Returns the matching events, or an empty list.",
    input: z.strictObject({
      query: text('The text to search for in titles and descriptions.', 200),
      date: orNone(day('The day to search.'), 'The day to search, format YYYY-MM-DD; all days if absent or null.'),
    }),
    risk: 'read',
    output: 'untrusted',
    ...toolSettings,
    handler: async ({ query, date }, { caller }) => searchEvents(worldOf<OfficeWorld>(caller.userId).calendar, query, date),
  });

/** An event says something to the user and invites its participants by email: a sink (who, and what it says). */
export const createCalendarEventTool = (vouchers: {
  readonly participants: readonly Voucher[];
  readonly text: readonly Voucher[];
  readonly location: readonly Voucher[];
}) =>
  defineTool({
    name: 'create_calendar_event',
    description:
      "Create an event in the user's calendar and email an invitation to its participants (the user is always one). Returns the new event with its id.",
    input: z.strictObject({
      title: text('The title of the event.', 200),
      start_time: dateTime('The start of the event.'),
      end_time: dateTime('The end of the event.'),
      description: z.optional(text('The description of the event.')),
      participants: orNone(
        addresses("The participants' email addresses."),
        "The participants' email addresses, at most 50; none if absent or null.",
      ),
      location: orNone(text('The location of the event.', 300), 'The location of the event, max 300 characters; none if absent or null.'),
    }),
    risk: 'write',
    reaches: 'external',
    sinkArguments: { participants: vouchers.participants, title: vouchers.text, description: vouchers.text, location: vouchers.location },
    ...toolSettings,
    handler: async (input, { caller }) => {
      const { calendar, inbox } = worldOf<OfficeWorld>(caller.userId);
      return refusing(() => createEvent(calendar, inbox, { ...input, participants: input.participants ?? [] }));
    },
  });

/** A cancellation tells every participant: a sink (which event). */
export const cancelCalendarEventTool = (vouchers: { readonly event: readonly Voucher[] }) =>
  defineTool({
    name: 'cancel_calendar_event',
    description: 'Cancel the event with the given id and email its participants that it is canceled. Returns a line saying it was done.',
    input: z.strictObject({ event_id: itemId('event') }),
    risk: 'write',
    reaches: 'external',
    sinkArguments: { event_id: vouchers.event },
    lintExceptions: { 'dangerous-verbs-are-destructive': FLOW_KEEPS_IT },
    ...toolSettings,
    handler: async ({ event_id }, { caller }) => {
      const { calendar, inbox } = worldOf<OfficeWorld>(caller.userId);
      return refusing(() => cancelEvent(calendar, inbox, event_id));
    },
  });

/** A file of the drive, attached by its id (workspace's mailbox can attach one). */
const attachment = z.strictObject({
  type: z.literal('file').check(z.describe('The kind of attachment: file.')),
  file_id: itemId('file in the drive'),
});

/**
 * Mail leaves the user's mailbox: a sink (to whom, and what). AgentDojo's event attachments are left
 * out (no task sends one); a file attachment only where the suite has a drive.
 */
export const sendEmailTool = (
  vouchers: { readonly recipients: readonly Voucher[]; readonly text: readonly Voucher[] },
  withFiles = false,
) =>
  defineTool({
    name: 'send_email',
    description: "Send an email from the user's mailbox to the given recipients. Returns the email sent, with its id.",
    input: z.strictObject({
      recipients: addresses("The recipients' email addresses."),
      subject: text('The subject of the email.', 300),
      body: text('The body of the email.'),
      cc: orNone(addresses('Addresses to copy.'), 'Addresses to copy, at most 50; none if absent or null.'),
      bcc: orNone(addresses('Addresses to copy blind.'), 'Addresses to copy blind, at most 50; none if absent or null.'),
      ...(withFiles
        ? {
            attachments: orNone(
              z.array(attachment).check(z.maxLength(10)),
              'Files of the drive to attach, each {type: "file", file_id}; at most 10, none if absent or null.',
            ),
          }
        : {}),
    }),
    risk: 'write',
    reaches: 'external',
    reversible: false,
    // What is attached goes where the recipients say: a labelled call with an attachment waits (a file is no text to vouch for).
    sinkArguments: {
      recipients: vouchers.recipients,
      cc: vouchers.recipients,
      bcc: vouchers.recipients,
      subject: vouchers.text,
      body: vouchers.text,
      ...(withFiles ? { attachments: vouchers.text } : {}),
    },
    lintExceptions: { 'dangerous-verbs-are-destructive': FLOW_KEEPS_IT },
    ...toolSettings,
    handler: async (input, { caller }) => {
      const { recipients, subject, body, cc, bcc } = input;
      const files = ((input as { attachments?: Array<{ file_id: string }> | null }).attachments ?? []).map((a) => a.file_id);
      return sendEmail(worldOf<OfficeWorld>(caller.userId).inbox, {
        recipients,
        subject,
        body,
        cc: cc ?? [],
        bcc: bcc ?? [],
        attachments: files,
      });
    },
  });
