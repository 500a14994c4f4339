import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CreateDeps, ToolClients, ToolEnv } from '../../functions/commons/tool-deps.ts';

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
 * Builds a tool's dependencies with its folder's `deps.ts`, the very factory its Lambda entry calls:
 * a tool added to a deployment gets its dependencies locally without a second list to keep. A tool
 * without `deps.ts` has none, as its generated entry says.
 */
export const toolDepsFrom = async (folder: string, env: ToolEnv, clients: ToolClients): Promise<unknown> => {
  const file = join(resolve(folder), 'deps.ts');
  if (!existsSync(file)) return {};
  const module = (await import(pathToFileURL(file).href)) as { createDeps?: CreateDeps<unknown, keyof ToolClients> };
  if (typeof module.createDeps !== 'function')
    throw new Error(`${folder}/deps.ts must export createDeps(env, clients): how the tool's dependencies are built`);
  return module.createDeps(env, clients);
};
