import type { AuditRecord } from '../../shared/audit/index.ts';

/** The columns of the CSV export, in order. */
export const AUDIT_CSV_COLUMNS = [
  'at',
  'runId',
  'callId',
  'attemptId',
  'tool',
  'userId',
  'status',
  'code',
  'durationMs',
  'approvalId',
  'arguments',
  'result',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell that a
 * spreadsheet would read as a formula (= + - @, tab, carriage return first) gets a leading `'`:
 * arguments and results come from model output, and an export is opened in spreadsheets.
 */
const cell = (value: unknown): string => {
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export const auditCsv = (records: readonly AuditRecord[]): string =>
  [AUDIT_CSV_COLUMNS.join(','), ...records.map((r) => AUDIT_CSV_COLUMNS.map((column) => cell(r[column])).join(','))].join('\r\n') + '\r\n';

/** JSON Lines: one record per line. */
export const auditJsonLines = (records: readonly AuditRecord[]): string => records.map((r) => `${JSON.stringify(r)}\n`).join('');
