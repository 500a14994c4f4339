export { PolicyFileError } from './errors.ts';
export {
  type CompiledPolicy,
  type CompiledPolicySet,
  compilePolicies,
  compilePoliciesWith,
  type Cedar,
  type PolicyDecision,
  type PolicySource,
} from './policy-set.ts';
export { PolicyContextError, type PolicyRequest } from './policy-request.ts';
export { CONTEXT_ATTRIBUTES, POLICY_NAMESPACE, policySchema } from './policy-schema.ts';
export { readPolicyFiles } from './policy-files.ts';
