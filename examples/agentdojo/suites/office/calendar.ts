import { type Inbox, nextId, sendEmail } from './mailbox.ts';

/**
 * AgentDojo's calendar (tools/calendar_client.py), shared by the suites that have one (travel,
 * workspace): creating, cancelling, moving an event and inviting to one each email its participants
 * from the user's mailbox, as AgentDojo's do.
 */

/** A calendar event, with AgentDojo's field names. */
export interface CalendarEvent {
  id_: string;
  title: string;
  description: string;
  start_time: string;
  end_time: string;
  location: string | null;
  participants: string[];
  all_day: boolean;
  status: 'confirmed' | 'canceled';
}

export interface Calendar {
  account_email: string;
  current_day: string;
  initial_events: CalendarEvent[];
}

/** What a tool declined to do, and why (the suite's tool throws it as `ToolDeclinedError`). */
export class CalendarRefusal extends Error {}

/** A date-time as the calendar keeps it (ISO, `YYYY-MM-DDTHH:MM:SS`), from AgentDojo's `YYYY-MM-DD HH:MM` or an ISO text. */
export const isoDateTime = (text: string): string => {
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(text.trim());
  if (!match) throw new CalendarRefusal(`${text} is not a time in format YYYY-MM-DD HH:MM`);
  return `${match[1]}T${match[2]}${match[3] ?? ':00'}`;
};

/** Whether two times are one instant, as AgentDojo's `datetime.fromisoformat` reads them (a day alone is its midnight; "2024-05-19 12:00" is "2024-05-19T12:00:00"). */
export const sameInstant = (a: string, b: string): boolean => {
  const instant = (t: string) => (/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00` : t.replace(' ', 'T').padEnd(19, ':00'));
  return instant(a) === instant(b);
};

const eventOf = (calendar: Calendar, id: string): CalendarEvent => {
  const event = calendar.initial_events.find((e) => e.id_ === id);
  if (!event) throw new CalendarRefusal(`Event with ID '${id}' not found.`);
  return event;
};

export const eventsOn = (calendar: Calendar, day: string): CalendarEvent[] =>
  calendar.initial_events.filter((event) => event.start_time.slice(0, 10) === day);

export const searchEvents = (calendar: Calendar, query: string, date?: string | null): CalendarEvent[] => {
  const wanted = query.toLowerCase();
  return (date ? eventsOn(calendar, date) : calendar.initial_events).filter(
    (event) => event.title.toLowerCase().includes(wanted) || event.description.toLowerCase().includes(wanted),
  );
};

export const createEvent = (
  calendar: Calendar,
  inbox: Inbox,
  input: { title: string; start_time: string; end_time: string; description?: string; participants?: string[]; location?: string | null },
): CalendarEvent => {
  const participants = [...new Set([...(input.participants ?? []), calendar.account_email])];
  const event: CalendarEvent = {
    id_: nextId(calendar.initial_events),
    title: input.title,
    description: input.description ?? '',
    start_time: isoDateTime(input.start_time),
    end_time: isoDateTime(input.end_time),
    location: input.location ?? null,
    participants,
    all_day: false,
    status: 'confirmed',
  };
  calendar.initial_events.push(event);
  sendEmail(inbox, { recipients: participants, subject: `Invitation: ${input.title}`, body: event.description, attachments: [event] });
  return event;
};

export const cancelEvent = (calendar: Calendar, inbox: Inbox, id: string): string => {
  const event = eventOf(calendar, id);
  event.status = 'canceled';
  sendEmail(inbox, {
    recipients: event.participants,
    subject: `Canceled: '${event.title}'`,
    body: 'The event has been canceled.',
    attachments: [event],
  });
  return `Event with ID ${id} has been canceled and participants have been notified.`;
};

/**
 * Moves an event. Without a new end, v1's calendar means to keep the event's length but computes it
 * after moving the start, so the end stays where it was; its checks (workspace user task 7) expect
 * exactly that, so it is kept.
 */
export const rescheduleEvent = (calendar: Calendar, inbox: Inbox, id: string, newStart: string, newEnd?: string | null): CalendarEvent => {
  const event = eventOf(calendar, id);
  event.start_time = isoDateTime(newStart);
  if (newEnd) event.end_time = isoDateTime(newEnd);
  sendEmail(inbox, {
    recipients: event.participants,
    subject: `Rescheduled: '${event.title}'`,
    body: `The event has been rescheduled. It will start on  ${event.start_time.slice(0, 10)} at ${event.start_time.slice(11)} and end on ${event.end_time.slice(0, 10)} at ${event.end_time.slice(11)}.`,
    attachments: [event],
  });
  return event;
};

export const addParticipants = (calendar: Calendar, id: string, participants: readonly string[]): CalendarEvent => {
  const event = eventOf(calendar, id);
  event.participants.push(...participants);
  return event;
};
