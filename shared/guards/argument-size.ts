import { allow, deny, type GuardVerdict } from './verdict.ts';

export interface ArgumentSizeLimits {
  /** @default 16384 (bytes of JSON) */
  readonly maxBytes?: number;
  /** @default 8 */
  readonly maxDepth?: number;
  /** Keys plus array items, summed over the whole value. @default 1000 */
  readonly maxNodes?: number;
}

/**
 * Caps the raw arguments before any schema runs: a huge, deep or wide value is refused in
 * linear time with an explicit stack, so no input can blow the call stack or the heap.
 */
export const argumentSize = (value: unknown, limits: ArgumentSizeLimits = {}): GuardVerdict<undefined> => {
  const { maxBytes = 16_384, maxDepth = 8, maxNodes = 1000 } = limits;
  let nodes = 0;
  let bytes = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node === 'string') bytes += Buffer.byteLength(node) + 2;
    else if (node !== null && typeof node === 'object') {
      if (depth >= maxDepth) return deny(`arguments are nested deeper than ${maxDepth} levels`);
      const children = Array.isArray(node) ? node : Object.entries(node).map(([k, v]) => ((bytes += Buffer.byteLength(k) + 3), v));
      nodes += children.length;
      if (nodes > maxNodes) return deny(`arguments have more than ${maxNodes} keys and items`);
      for (const child of children) stack.push([child, depth + 1]);
    } else bytes += 8;
    if (bytes > maxBytes) return deny(`arguments are larger than ${maxBytes} bytes`);
  }
  return allow(undefined);
};
