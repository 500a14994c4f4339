import type { AnyTool, ToolRegistry } from '../tool/index.ts';
import { roleAllowlist } from './role-allowlist.ts';

export interface OfferedTools {
  readonly tools: readonly AnyTool[];
  /** Said to the model when tools are held back because their breaker is open. */
  readonly note?: string;
}

/** The tools offered to the model: those of the caller's role, minus those whose breaker is open. */
export const offeredTools = (registry: ToolRegistry, groups: readonly string[], openBreakers: ReadonlySet<string>): OfferedTools => {
  const allowed = registry.tools.filter((tool) => roleAllowlist(tool, groups).allow);
  const off = allowed.filter((tool) => openBreakers.has(tool.name)).map((tool) => tool.name);
  return {
    tools: allowed.filter((tool) => !openBreakers.has(tool.name)),
    ...(off.length > 0
      ? {
          note: `These tools are temporarily unavailable because they are failing: ${off.join(', ')}. Continue without them or tell the user.`,
        }
      : {}),
  };
};
