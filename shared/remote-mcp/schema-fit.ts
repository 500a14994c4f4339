import type { ToolInputSchema } from '../tool/index.ts';
import type { RemoteToolDefinition } from './remote-definition.ts';

/**
 * Why a declared input schema does not fit the remote tool's, empty when it fits: the declaration
 * may only tighten what the remote tool takes. Every declared argument must be one the remote tool
 * names (a strict remote schema would refuse another, and a lax one would receive what nobody
 * reviewed), and every argument the remote tool requires must be required by the declaration too
 * (else a call the guards admitted would fail remotely). Checked before each call, so a remote
 * schema that drifts within the same pin cannot happen, and a declaration that never fitted is
 * refused with the reason instead of forwarding.
 *
 * @example
 * schemaFitIssues(z.strictObject({ query: z.string() }), { name: 'search', inputSchema: { type: 'object', properties: { q: {} } } });
 * // ['argument "query" is not one the remote tool takes (it takes: q)']
 */
export const schemaFitIssues = (declared: ToolInputSchema, remote: RemoteToolDefinition): string[] => {
  const shape = declared._zod.def.shape as Record<string, { _zod: { optin?: string } }>;
  const remoteArguments = Object.keys(remote.inputSchema.properties ?? {});
  const issues: string[] = [];
  for (const key of Object.keys(shape))
    if (!remoteArguments.includes(key))
      issues.push(`argument "${key}" is not one the remote tool takes (it takes: ${remoteArguments.join(', ') || 'none'})`);
  for (const key of remote.inputSchema.required ?? [])
    if (!shape[key] || shape[key]._zod.optin !== undefined)
      issues.push(`argument "${key}" is required by the remote tool, so the declaration must require it too`);
  return issues;
};
