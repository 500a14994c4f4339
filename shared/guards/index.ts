export { argumentSize, type ArgumentSizeLimits } from './argument-size.ts';
export { MAX_ITERATIONS_CEILING, maxIterations } from './max-iterations.ts';
export { offeredTools, type OfferedTools } from './offered-tools.ts';
export { roleAllowlist } from './role-allowlist.ts';
export { approvalQuorum, screenCall, type ScreenedCall, type ScreeningContext, screenToolCall } from './screen-call.ts';
export { toolArguments } from './tool-arguments.ts';
export { allow, deny, type GuardVerdict } from './verdict.ts';
export {
  type FlowEvidence,
  FlowMode,
  isFlowMode,
  MIN_PROMPT_VALUE_LENGTH,
  type UntrustedSource,
  untrustedSourceOf,
  type Voucher,
  type VouchedBy,
  vouchFor,
} from './information-flow.ts';
// What the other capabilities of shared/ use (through this surface, as everything else does).
export { judgeFlow } from './information-flow.ts';
