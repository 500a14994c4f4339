import type { AnyTool } from './define-tool.ts';

/**
 * The declaration named `name` among a tool module's exports: a tool folder's `tool.ts` may export
 * its declaration under any binding (and other things beside it), the name is what identifies it.
 */
export const declaredTool = (exports: Readonly<Record<string, unknown>>, name: string): AnyTool => {
  const found = Object.values(exports).find(
    (value) => typeof value === 'object' && value !== null && (value as { name?: unknown }).name === name,
  );
  if (!found) throw new Error(`Tool ${name}: its tool.ts exports no declaration with that name`);
  return found as AnyTool;
};
