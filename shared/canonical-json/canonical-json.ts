import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so that equal arguments give equal text
 * whatever order the model wrote them in.
 */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, node: unknown) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(node).sort()) sorted[key] = (node as Record<string, unknown>)[key];
    return sorted;
  }) ?? 'null';

/** SHA-256 of the canonical JSON, hex: binds an idempotency record or an approval to exact arguments. */
export const hashCanonical = (value: unknown): string => createHash('sha256').update(canonicalJson(value)).digest('hex');
