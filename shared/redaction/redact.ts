import { CARD_CANDIDATE, isSecretKey, isSecretParam, passesLuhn, SECRET_VALUES, URL_PARAM, URL_USERINFO } from './patterns.ts';

/** What a masked secret reads as. */
export const REDACTED = '[REDACTED]';

/**
 * How far `redact` reads (string length, items, depth) and the exact secret values it masks
 * wherever they appear.
 */
export interface RedactOptions {
  /** Longer strings are cut (logs and audit stay small). @default 512 */
  readonly maxString?: number;
  /** @default 50 */
  readonly maxItems?: number;
  /** @default 8 */
  readonly maxDepth?: number;
  /** Exact values to mask wherever they appear (see `collectSecretValues`). */
  readonly knownSecrets?: readonly string[];
}

/**
 * Replaces every secret-looking run inside a string, and every known secret value.
 *
 * @example
 * redactString('key AKIAIOSFODNN7EXAMPLE'); // 'key [REDACTED:aws-access-key]'
 */
export const redactString = (value: string, knownSecrets: readonly string[] = []): string => {
  let out = value;
  for (const secret of knownSecrets) out = out.replaceAll(secret, REDACTED);
  for (const [label, pattern] of SECRET_VALUES) out = out.replace(pattern, `[REDACTED:${label}]`);
  // Secrets inside URLs: signed query values, API keys in the query, a password before the host.
  out = out.replace(URL_PARAM, (match, separator: string, name: string, paramValue: string) =>
    paramValue !== '' && isSecretParam(name) ? `${separator}${name}=${REDACTED}` : match,
  );
  out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
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
  const { maxString = 512, maxItems = 50, maxDepth = 8, knownSecrets = [] } = options;
  const seen = new WeakSet<object>();
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') {
      // Redact before cutting, so a cut cannot split a secret into an unrecognisable prefix.
      const clean = redactString(node, knownSecrets);
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
      out[redactString(key, knownSecrets)] =
        isSecretKey(key) && child !== null && child !== undefined && child !== '' ? REDACTED : walk(child, depth + 1);
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

/**
 * The string values held under secret-named keys, at any depth. A handler may copy such a value
 * into a field with an innocent name (`echo`, `message`); masking the values themselves keeps
 * them out of the record anyway. Very short values are skipped: masking "a" would mask everything.
 */
export const collectSecretValues = (value: unknown, minLength = 4): string[] => {
  const found = new Set<string>();
  const stack: Array<[unknown, boolean, number]> = [[value, false, 0]];
  while (stack.length > 0) {
    const [node, underSecret, depth] = stack.pop() as [unknown, boolean, number];
    if (typeof node === 'string') {
      if (underSecret && node.length >= minLength) found.add(node);
    } else if (node !== null && typeof node === 'object' && depth < 8) {
      for (const [key, child] of Object.entries(node))
        stack.push([child, underSecret || (!Array.isArray(node) && isSecretKey(key)), depth + 1]);
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
};
