export { CallStatus, ErrorCode, statusOfCode } from './codes.ts';
export {
  GuardUnavailableError,
  isToolError,
  PermissionDeniedError,
  PolicyDeniedError,
  ToolDeclinedError,
  ToolError,
  ToolFailedError,
  ToolTimeoutError,
  UnknownToolError,
  ValidationFailedError,
  type ToolErrorOptions,
} from './errors.ts';
export { failure, failureOf, success, type ToolFailure, type ToolReceipt, type ToolResult } from './result.ts';
export { isToolCrash, TOOL_CRASHED_FAILURE } from './result.ts';
export type { ApproverEdit } from './result.ts';
