import { pathToFileURL } from 'node:url';
import type { CreateDeps, ToolClients, ToolEnv } from '../../functions/commons/tool-deps.ts';
import { toolFiles } from '../guarded-agent/generated-entries.ts';
import type { AnyTool } from '../../shared/tool/index.ts';

/** An environment lookup over a record, failing with the variable's name as `requireEnv` does deployed. */
export const envOf =
  (variables: Readonly<Record<string, string>>, functionName: string): ToolEnv =>
  (name) => {
    const value = variables[name];
    if (value === undefined)
      throw new Error(`${functionName}: no ${name} in its environment (the construct sets it from the tool's resources)`);
    return value;
  };

/**
 * Builds a tool's dependencies with the factory its Lambda entry calls (its folder's `deps.ts`, or
 * the package's for a remote MCP server's tool: `toolFiles` says which): a tool added to a
 * deployment gets its dependencies locally without a second list to keep. A tool without one has
 * none, as its generated entry says.
 */
export const toolDepsFrom = async (
  folder: string,
  tool: Pick<AnyTool, 'name' | 'resources'>,
  env: ToolEnv,
  clients: ToolClients,
): Promise<unknown> => {
  const file = toolFiles(folder, tool).deps;
  if (!file) return {};
  const module = (await import(pathToFileURL(file).href)) as { createDeps?: CreateDeps<unknown, keyof ToolClients> };
  if (typeof module.createDeps !== 'function')
    throw new Error(`${file} must export createDeps(env, clients): how the tool's dependencies are built`);
  return module.createDeps(env, clients);
};
