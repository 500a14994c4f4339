import { redact } from '../redaction/index.ts';
import { approvalSummary } from './approval-summary.ts';

/** A secret the approver cannot read but must know is there: in which argument, and what kind. */
export interface MaskedSecret {
  /** Where, as a path into the arguments (`body`, `headers.authorization`, `items[2]`). */
  readonly argument: string;
  /** What the redaction recognised (`aws-access-key`, `jwt`, …), or `named-secret` for a value under a secret-named key. */
  readonly kind: string;
}

/** A place the call sends something outside, as its arguments name it. */
export interface Destination {
  readonly kind: 'email' | 'url';
  /** The address or URL as written (redacted like everything shown). */
  readonly value: string;
  /** The domain of an address, the host of a URL: the part one checks first. */
  readonly host: string;
  /** Where it was found. */
  readonly argument: string;
}

/** What an approver is shown of one call: every argument in full, secrets masked and listed, destinations listed. */
export interface ApprovalView {
  /** The arguments in full: no string cut, no item left out; only secrets masked. */
  readonly arguments: unknown;
  readonly secrets: readonly MaskedSecret[];
  /** Every recipient, URL and host in the arguments, each on its own (so none hides inside prose). */
  readonly destinations: readonly Destination[];
  /** Whether the short form (`approvalSummary`: Slack, the list) leaves anything out. */
  readonly shortened: boolean;
}

const MASK = /\[REDACTED(?::([a-z0-9-]+))?\]/g;
// Plain addresses and http(s) URLs, as a mail or fetch tool would take them.
const EMAIL = /[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;
const URL_TEXT = /\bhttps?:\/\/[^\s"'<>()]+/gi;

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

/** Every string leaf of a value with its path. */
const leaves = (value: unknown, path = ''): Array<{ path: string; text: string }> => {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${path}[${i}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, child]) => leaves(child, path === '' ? key : `${path}.${key}`));
  return [];
};

/** The arguments in full as an approver may see them: nothing cut, only secrets masked (by key, by shape, by value). */
export const shownArguments = (args: unknown): unknown =>
  redact(args, { maxString: Number.POSITIVE_INFINITY, maxItems: Number.POSITIVE_INFINITY, maxDepth: 64 });

/** The masked secrets and the destinations in arguments already shown (`shownArguments`). Pure. */
export const describeShown = (shown: unknown): Pick<ApprovalView, 'secrets' | 'destinations'> => {
  const secrets: MaskedSecret[] = [];
  const destinations: Destination[] = [];
  for (const { path, text } of leaves(shown)) {
    for (const match of text.matchAll(MASK)) secrets.push({ argument: path, kind: match[1] ?? 'named-secret' });
    for (const match of text.matchAll(URL_TEXT))
      destinations.push({ kind: 'url', value: match[0], host: hostOf(match[0]), argument: path });
    // Addresses inside a URL are part of the URL: listed with it, not again.
    for (const match of text.replaceAll(URL_TEXT, ' ').matchAll(EMAIL))
      destinations.push({ kind: 'email', value: match[0], host: (match[1] ?? '').toLowerCase(), argument: path });
  }
  return { secrets, destinations };
};

/**
 * The approver's view of a call's arguments, made from the very object the approval is bound to
 * (its `argsHash` is that object's hash): nothing cut, secrets masked and listed with where they
 * were, and each destination listed on its own. Pure.
 *
 * @example
 * approvalView({ to: 'jane@example.com', body: 'key AKIAIOSFODNN7EXAMPLE' });
 * // { arguments: { to: 'jane@example.com', body: 'key [REDACTED:aws-access-key]' },
 * //   secrets: [{ argument: 'body', kind: 'aws-access-key' }],
 * //   destinations: [{ kind: 'email', value: 'jane@example.com', host: 'example.com', argument: 'to' }], shortened: false }
 */
export const approvalView = (args: unknown): ApprovalView => {
  const shown = shownArguments(args);
  return { arguments: shown, ...describeShown(shown), shortened: approvalSummary(args) !== JSON.stringify(shown) };
};
