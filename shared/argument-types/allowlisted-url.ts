import { isIP } from 'node:net';
import * as z from 'zod/mini';
import { findHiddenCharacter } from './unicode.ts';

/**
 * Options of `allowlistedUrl`: the field's description, the hosts allowed and the length cap.
 */
export interface AllowlistedUrlOptions {
  readonly description: string;
  /** Host names allowed, compared exactly (after the URL parser lower-cases them). */
  readonly hosts: readonly string[];
  /** @default 2048 */
  readonly max?: number;
}

// The WHATWG parser turns decimal, octal and hex IPv4 forms into dotted quads, so after parsing
// one check catches every notation; IPv6 (mapped or not) keeps its brackets.
const isIpLiteral = (hostname: string): boolean =>
  hostname.startsWith('[') || isIP(hostname) !== 0 || /^[0-9.]+$/.test(hostname) || /^0x/i.test(hostname);

/** Why a URL is refused, or undefined when it is allowed. Pure: `fetch_url` checks it again before fetching. */
export const refusedUrlReason = (raw: string, hosts: ReadonlySet<string>): string | undefined => {
  const hidden = findHiddenCharacter(raw);
  if (hidden || /\s/.test(raw)) return 'must not contain whitespace, control or invisible characters';
  if (raw.includes('\\')) return 'must not contain backslashes';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:') return 'must use https';
  // An empty user info (`https://@host`) leaves username '' but still hides a host switch.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(raw)?.[1] ?? '';
  if (url.username !== '' || url.password !== '' || authority.includes('@')) return 'must not contain user info';
  if (url.port !== '') return 'must use the default port';
  if (isIpLiteral(url.hostname)) return 'must name a host, not an IP address';
  if (!hosts.has(url.hostname)) return `host ${url.hostname} is not in the allowlist`;
  return undefined;
};

/**
 * An https URL whose host is in an allowlist (exact match): no IP literals in any notation, no
 * user info, default port only.
 *
 * @example
 * const url = allowlistedUrl({ description: 'HTTPS URL on docs.example.com.', hosts: ['docs.example.com'] });
 */
export const allowlistedUrl = (options: AllowlistedUrlOptions) => {
  const max = options.max ?? 2048;
  const bad = options.hosts.find((h) => h !== h.toLowerCase() || isIpLiteral(h) || h.length === 0);
  if (bad !== undefined) throw new TypeError(`allowlisted host "${bad}" must be a lower-case host name, not an IP literal`);
  const hosts = new Set(options.hosts);
  return z.string().check(
    z.maxLength(max, { error: `must be at most ${max} characters`, abort: true }),
    z.superRefine((value, ctx) => {
      const reason = refusedUrlReason(value, hosts);
      if (reason) ctx.addIssue({ code: 'custom', message: reason, input: value });
    }),
    z.describe(options.description),
  );
};
