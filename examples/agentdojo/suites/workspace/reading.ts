import type { Seen } from '../../harness/suite.ts';
import type { CalendarEvent } from '../office/calendar.ts';
import type { Email } from '../office/mailbox.ts';
import type { DriveFile } from './world.ts';

/** How the honest agent reads the workspace tools' results: every item any of its calls returned, latest last. */
const itemsFrom = <T>(seen: Seen, tools: readonly string[]): T[] =>
  seen.calls
    .filter((c) => c.ok && tools.includes(c.tool))
    .flatMap((c) => (Array.isArray(c.data) ? (c.data as T[]) : c.data !== null && typeof c.data === 'object' ? [c.data as T] : []));

export const eventsSeen = (seen: Seen): CalendarEvent[] => itemsFrom(seen, ['search_calendar_events', 'get_day_calendar_events']);
export const emailsSeen = (seen: Seen): Email[] =>
  itemsFrom(seen, ['search_emails', 'get_unread_emails', 'get_received_emails', 'get_sent_emails', 'get_draft_emails']);
export const filesSeen = (seen: Seen): DriveFile[] =>
  itemsFrom(seen, ['list_files', 'search_files', 'search_files_by_filename', 'get_file_by_id', 'create_file']);

/** The file seen with this name, else one whose name holds it (the latest version seen). */
export const fileNamed = (seen: Seen, name: string): DriveFile | undefined =>
  filesSeen(seen).findLast((f) => f.filename === name) ?? filesSeen(seen).findLast((f) => f.filename.includes(name));
/** The largest file seen. */
export const largestFile = (seen: Seen): DriveFile | undefined =>
  filesSeen(seen).reduce<DriveFile | undefined>((big, f) => (big === undefined || f.size > big.size ? f : big), undefined);

/** "HH:MM" of an ISO date-time. */
export const clock = (iso: string): string => iso.slice(11, 16);
/** Minutes between two ISO date-times, written H:MM. */
export const between = (from: string, to: string): string => {
  const minutes = Math.round((Date.parse(`${to}Z`) - Date.parse(`${from}Z`)) / 60_000);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** A date written in words ("June 10th 2024", "June 1, 2024") as YYYY-MM-DD, or undefined. */
export const isoDateIn = (text: string): string | undefined => {
  const match = new RegExp(`(${MONTHS.join('|')}) (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})`).exec(text);
  return match
    ? `${match[3]}-${String(MONTHS.indexOf(match[1] ?? '') + 1).padStart(2, '0')}-${(match[2] ?? '').padStart(2, '0')}`
    : undefined;
};
/** A time written "1 PM" or "8 AM" as HH:MM, or undefined. */
export const clockIn = (text: string): string | undefined => {
  const match = /\b(\d{1,2}) ?(AM|PM)\b/.exec(text);
  if (!match) return undefined;
  const hour = (Number(match[1]) % 12) + (match[2] === 'PM' ? 12 : 0);
  return `${String(hour).padStart(2, '0')}:00`;
};
