import { CARD_CANDIDATE, isSecretKey, passesLuhn, SECRET_VALUES } from './patterns.ts';

export const REDACTED = '[REDACTED]';

export interface RedactOptions {
  /** Longer strings are cut (logs and audit stay small). @default 512 */
  readonly maxString?: number;
  /** @default 50 */
  readonly maxItems?: number;
  /** @default 8 */
  readonly maxDepth?: number;
}

/** Replaces every secret-looking run inside a string. */
export const redactString = (value: string): string => {
  let out = value;
  for (const [label, pattern] of SECRET_VALUES) out = out.replace(pattern, `[REDACTED:${label}]`);
  return out.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replaceAll(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? '[REDACTED:card]' : match;
  });
};

/**
 * A copy of `value` safe to log or audit: values under secret-named keys replaced, secret-looking
 * strings masked, long strings, big arrays and deep nesting cut. Never throws and never returns a
 * reference into the input, so later mutation cannot leak through.
 *
 * @example
 * redact({ to: 'a@b.c', apiKey: 'sk-123', note: 'AKIAIOSFODNN7EXAMPLE' })
 * // => { to: 'a@b.c', apiKey: '[REDACTED]', note: '[REDACTED:aws-access-key]' }
 */
export const redact = (value: unknown, options: RedactOptions = {}): unknown => {
  const { maxString = 512, maxItems = 50, maxDepth = 8 } = options;
  const seen = new WeakSet<object>();
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') {
      // Redact before cutting, so a cut cannot split a secret into an unrecognisable prefix.
      const clean = redactString(node);
      return clean.length > maxString ? `${clean.slice(0, maxString)}…[+${clean.length - maxString} chars]` : clean;
    }
    if (node === null || typeof node !== 'object') return typeof node === 'function' || typeof node === 'symbol' ? undefined : node;
    if (seen.has(node)) return '[Circular]';
    if (depth >= maxDepth) return '[Truncated]';
    seen.add(node);
    if (Array.isArray(node)) {
      const items = node.slice(0, maxItems).map((item) => walk(item, depth + 1));
      if (node.length > maxItems) items.push(`…[+${node.length - maxItems} items]`);
      return items;
    }
    const out: Record<string, unknown> = {};
    const entries = Object.entries(node);
    for (const [key, child] of entries.slice(0, maxItems)) {
      out[redactString(key)] = isSecretKey(key) && child !== null && child !== undefined && child !== '' ? REDACTED : walk(child, depth + 1);
    }
    if (entries.length > maxItems) out['…'] = `+${entries.length - maxItems} keys`;
    return out;
  };
  try {
    return walk(value, 0);
  } catch {
    return '[Unredactable]';
  }
};
