import { posix } from 'node:path';
import * as z from 'zod/mini';

/** Options of `safeRelativePath`: the field's description and its length cap. */
export interface SafePathOptions {
  readonly description: string;
  /** @default 256 */
  readonly max?: number;
}

// An allowlist, not a blocklist: every character a traversal needs outside '.' and '/'
// (backslash, '%', ':', NUL, controls, invisible and look-alike Unicode) is simply not in it.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * Why a relative path is unsafe, or undefined when it is safe. Pure, so the document stores
 * check it again at the point of use (defence in depth).
 */
export const unsafePathReason = (value: string): string | undefined => {
  if (value.length === 0) return 'must not be empty';
  if (value.includes('\0')) return 'must not contain NUL';
  if (value.includes('\\')) return 'must use / as the separator, not a backslash';
  if (/%[0-9a-f]{2}/i.test(value)) return 'must not be percent-encoded';
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value) || value.startsWith('~')) return 'must be relative, not absolute';
  const segments = value.split('/');
  if (segments.some((s) => s === '..')) return 'must not contain .. segments';
  if (segments.some((s) => s === '.' || s === '')) return 'must not contain empty or . segments';
  const bad = segments.find((s) => !SEGMENT.test(s));
  if (bad !== undefined) return 'segments may only use letters, digits, . _ - and must not start with . or -';
  // Checked again after normalizing: the path must be its own normal form and stay below the root.
  const normal = posix.normalize(value);
  if (normal !== value || normal.startsWith('../') || posix.isAbsolute(normal)) return 'must stay inside the document root';
  return undefined;
};

/**
 * A relative path below a root: no `..`, no absolute paths, no backslashes, no NUL, control or
 * invisible characters, no percent-encoding (single or double), and still inside the root after
 * normalization.
 *
 * @example
 * const path = safeRelativePath({ description: 'Document path relative to the document root, e.g. policies/leave.md.' });
 */
export const safeRelativePath = (options: SafePathOptions) => {
  const max = options.max ?? 256;
  return z.string().check(
    z.maxLength(max, { error: `must be at most ${max} characters`, abort: true }),
    z.superRefine((value, ctx) => {
      const reason = unsafePathReason(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason, input: value });
    }),
    z.describe(options.description),
  );
};
