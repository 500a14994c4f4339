import type { CompiledPolicySet } from '../policies/index.ts';

/**
 * A deployment's policies as one tool's pipeline holds them: the set's hash, and the policies that
 * apply to this tool (if any do). A module of its own, without middy's types: it is on the package's
 * public surface (`createToolHandler` takes it).
 */
export interface PipelinePolicies {
  readonly hash: string;
  /** Absent: no policy names this tool; its calls are recorded as permitted under the set's hash. */
  readonly set?: CompiledPolicySet;
}
