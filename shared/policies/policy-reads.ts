/**
 * What a policy reads of a request: the context's top-level attributes it names (`context.label`,
 * `context has time`), or all of them where it uses the context otherwise, and whether it reads
 * the principal's attributes. A decision sends Cedar only what the policies that apply read: every
 * value crosses into WebAssembly as JSON, and each attribute left out is time saved (measured in
 * `npm run bench`). Conservative: anything it cannot tell reads everything.
 */
export interface PolicyReads {
  readonly context: 'all' | readonly string[];
  readonly principal: boolean;
}

type Node = unknown;

const isVar = (node: Node, name: string) => typeof node === 'object' && node !== null && (node as { Var?: unknown }).Var === name;

/** Walks a policy's JSON (its conditions): where `context` and `principal` are read, and how. */
export const policyReads = (conditions: readonly unknown[]): PolicyReads => {
  const context = new Set<string>();
  let allContext = false;
  let principal = false;
  const visit = (node: Node): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    for (const op of ['.', 'has'] as const) {
      const access = record[op] as { left?: Node; attr?: unknown } | undefined;
      if (access && typeof access === 'object' && 'left' in access) {
        const attr = Array.isArray(access.attr) ? access.attr[0] : access.attr;
        if (isVar(access.left, 'context') && typeof attr === 'string') {
          context.add(attr);
          return;
        }
        if (isVar(access.left, 'principal')) principal = true;
      }
    }
    if (isVar(node, 'context')) allContext = true;
    if (isVar(node, 'principal')) principal = true;
    Object.values(record).forEach(visit);
  };
  visit(conditions);
  return { context: allContext ? 'all' : [...context], principal };
};

/** What the policies that apply to one tool read, together. */
export const joinReads = (reads: readonly PolicyReads[]): PolicyReads => ({
  context: reads.some((r) => r.context === 'all') ? 'all' : [...new Set(reads.flatMap((r) => r.context as readonly string[]))],
  principal: reads.some((r) => r.principal),
});
