export { PolicyFileError } from './errors.ts';
export type { Cedar } from './cedar-bindings.ts';
export {
  appliesTo,
  type CompiledPolicy,
  type CompiledPolicySet,
  type CompileOptions,
  compilePolicies,
  compilePoliciesWith,
  type HistoryAttribute,
  mayAskApproval,
  type PolicyDecision,
  policyRecordOf,
  policyRefusal,
  type PolicyRecord,
  policySourcesFor,
  type PolicySource,
} from './policy-set.ts';
export { PolicyContextError, type PolicyRequest } from './policy-request.ts';
export { CONTEXT_ATTRIBUTES, LAST_HOUR_MS, POLICY_NAMESPACE, policySchema, type PolicyTool } from './policy-schema.ts';
export { readPolicyFiles } from './policy-files.ts';
export { type PolicyEffect, type ReplayChange, type ReplayedRecord, type ReplayReport, replayPolicies } from './policy-replay.ts';
export type { PolicyReads } from './policy-reads.ts';
