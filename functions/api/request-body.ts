import { HttpError, badRequest } from './http-error.ts';

/**
 * One limit for every body the API takes, deployed and local: large enough for a scripted model
 * turn at the loop's own per-turn cap (128 KB of arguments), far under API Gateway's 10 MB.
 */
export const MAX_BODY_BYTES = 256 * 1024;
/** Deeper JSON is refused before it is parsed: no request needs it, and it is costly downstream. */
export const MAX_JSON_DEPTH = 32;

export const payloadTooLarge = () => new HttpError(413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${MAX_BODY_BYTES / 1024} KB.`);

/**
 * Checks JSON text in one linear pass, before `JSON.parse`: nesting no deeper than `maxDepth`,
 * and no key twice in one object (JSON.parse keeps the last, so `{"decision":"deny","decision":
 * "approve"}` would mean whatever the parser picks: ambiguous, refused). Invalid JSON is left
 * for `JSON.parse` to refuse.
 */
export const checkJsonShape = (text: string, maxDepth = MAX_JSON_DEPTH): { ok: true } | { ok: false; reason: string } => {
  // One entry per open container: the keys seen (objects) or undefined (arrays).
  const open: Array<Set<string> | undefined> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const keys = open.at(-1);
      if (expectKey && keys) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return { ok: true };
        }
        if (keys.has(key)) return { ok: false, reason: `The key "${key.slice(0, 40)}" appears twice in one object; send it once.` };
        keys.add(key);
      }
      expectKey = false;
      i = end;
    } else if (c === '{' || c === '[') {
      open.push(c === '{' ? new Set() : undefined);
      if (open.length > maxDepth) return { ok: false, reason: `The body is nested deeper than ${maxDepth} levels.` };
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      open.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = open.at(-1) !== undefined;
    }
  }
  return { ok: true };
};

/** A request body as JSON: size, depth and duplicate keys checked first; `{}` when empty. */
export const parseJsonBody = (body: string): unknown => {
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw payloadTooLarge();
  if (body === '') return {};
  const shape = checkJsonShape(body);
  if (!shape.ok) throw badRequest(shape.reason);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
};
