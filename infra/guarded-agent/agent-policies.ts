import { dirname, relative } from 'node:path';
import {
  type Cedar,
  compilePoliciesWith,
  mayAskApproval,
  policySourcesFor,
  type PolicySource,
  readPolicyFiles,
} from '../../shared/policies/index.ts';
import { requirePeer, resolvePeer } from '../../shared/optional-peers/index.ts';
import type { ToolPolicies } from './generated-entries.ts';
import type { AnyTool } from '../../shared/tool/index.ts';

/**
 * Cedar's bindings, loaded synchronously (a construct cannot wait): synth validates the policies
 * with them. An optional peer: missing, it is an error naming the install command.
 */
export const loadCedar = (): Cedar => requirePeer<Cedar>('policies', '@cedar-policy/cedar-wasm', 'nodejs');

/** The folder of Cedar's Node bindings (its package.json and nodejs/): what a function that evaluates policies ships beside its bundle. */
export const cedarPackageDir = (): string => dirname(dirname(resolvePeer('policies', '@cedar-policy/cedar-wasm', 'nodejs')));

/**
 * A GuardedAgent's `policies`: every `*.cedar` file of the folder, compiled against the schema the
 * deployment's tools generate, so a policy that does not parse or names an unknown tool or argument
 * fails synth with its file and line. Each file is named by its path from the project root (what
 * the deployed functions and the audit say), never by a path of the machine that synthesized it.
 */
export const agentPolicies = (dir: string, tools: readonly AnyTool[]) => {
  const sources: PolicySource[] = readPolicyFiles(dir).map(({ file, text }) => ({ file: relative(process.cwd(), file), text }));
  if (sources.length === 0) throw new Error(`GuardedAgent policies: ${dir} holds no .cedar file`);
  const compiled = compilePoliciesWith(loadCedar(), sources, tools);
  return Object.freeze({
    sources,
    hash: compiled.hash,
    count: compiled.policies.size,
    /** What one tool's function gets: the set's hash, the policies that apply to it, whether one may ask approval of it. */
    forTool: (tool: string): ToolPolicies => ({
      hash: compiled.hash,
      sources: policySourcesFor(compiled, tool),
      asksApproval: mayAskApproval(compiled, tool),
    }),
  });
};
