import { hashCanonical } from '../canonical-json/index.ts';
import type { AnyTool } from './define-tool.ts';
import { toolSpec } from './tool-spec.ts';
import type { ToolRegistry } from './tool-registry.ts';

/**
 * The version of a tool's declaration: a hash of everything that decides how a call is judged and
 * what the model is told (schema, description, risk, roles, limits, timeout, breaker, resources).
 * Each audit record names the version in force, so a record can be read against the policy that
 * judged it. Computed at synth (the generated entry carries it), so tool bundles need no JSON Schema.
 *
 * @example
 * declarationVersion(lookupOrder); // '3f0c9a1be2d47a65'
 */
export const declarationVersion = (tool: AnyTool): string => {
  let version = versions.get(tool);
  if (version === undefined) {
    version = versionOf(tool);
    versions.set(tool, version);
  }
  return version;
};

/** `{ declaration }` of a declared tool by name, for an audit record's facts; nothing for a name the registry does not declare. */
export const withDeclaration = (registry: Pick<ToolRegistry, 'resolve'>, name: string): { declaration?: string } => {
  const tool = registry.resolve(name);
  return tool ? { declaration: declarationVersion(tool) } : {};
};

const versions = new WeakMap<AnyTool, string>();
const versionOf = (tool: AnyTool): string =>
  hashCanonical({
    spec: toolSpec(tool),
    risk: tool.risk,
    roles: tool.roles,
    limits: tool.limits,
    timeoutMs: tool.timeoutMs,
    breaker: tool.breaker,
    resources: tool.resources,
    output: tool.output,
    reaches: tool.reaches,
    flow: tool.flow ?? null,
    reversible: tool.reversible,
    quorum: tool.quorum ?? 1,
  }).slice(0, 16);
