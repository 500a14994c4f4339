import type { AnyTool } from './define-tool.ts';

/**
 * Tools by name in a null-prototype map: resolution is an exact, byte-equal lookup, so
 * `__proto__`, `constructor`, case, whitespace and homoglyph variants resolve to nothing.
 */
export interface ToolRegistry {
  readonly tools: readonly AnyTool[];
  /** The declared tool of that exact name (an own property only), or undefined. */
  resolve(name: unknown): AnyTool | undefined;
}

/**
 * The tools of a deployment by exact name; a name declared twice is refused.
 *
 * @example
 * const registry = createToolRegistry([lookupOrder, createTicket]);
 * registry.resolve('lookup_order'); // its declaration; registry.resolve('__proto__') is undefined
 */
export const createToolRegistry = (tools: readonly AnyTool[]): ToolRegistry => {
  const byName: Record<string, AnyTool> = Object.create(null);
  for (const tool of tools) {
    if (Object.hasOwn(byName, tool.name)) throw new TypeError(`Tool ${tool.name} is declared twice`);
    byName[tool.name] = tool;
  }
  Object.freeze(byName);
  return {
    tools: Object.freeze([...tools]),
    resolve: (name) => (typeof name === 'string' && Object.hasOwn(byName, name) ? byName[name] : undefined),
  };
};
