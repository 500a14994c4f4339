import { trace, type Attributes } from '@opentelemetry/api';
import {
  ATTR_ENDUSER_PSEUDO_ID,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
} from './semconv.ts';
import { CallStatus, statusOfCode, type ToolResult } from '../tool-result/index.ts';
import { Attr, SpanName } from './constants.ts';
import { contentAttribute } from './content.ts';
import { runContext, pseudonymOf } from './run-trace.ts';
import { inSpan, markFailed, recordSpan, tracer, tracingOn } from './spans.ts';

/** What a tool span says of a call, from the orchestration's event (untrusted in shape: read defensively). */
const callAttributes = (tool: { name: string; risk?: string }, event: unknown): Attributes => {
  const call = (event ?? {}) as { runId?: unknown; callId?: unknown; caller?: { userId?: unknown } };
  return {
    [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: tool.name,
    [ATTR_GEN_AI_TOOL_TYPE]: 'function',
    ...(tool.risk === undefined ? {} : { [Attr.TOOL_RISK]: tool.risk }),
    ...(typeof call.callId === 'string' ? { [ATTR_GEN_AI_TOOL_CALL_ID]: call.callId.slice(0, 128) } : {}),
    ...(typeof call.runId === 'string'
      ? { [ATTR_GEN_AI_CONVERSATION_ID]: call.runId.slice(0, 128), [Attr.RUN_ID]: call.runId.slice(0, 128) }
      : {}),
    ...(typeof call.caller?.userId === 'string' ? { [ATTR_ENDUSER_PSEUDO_ID]: pseudonymOf(call.caller.userId) } : {}),
  };
};

/** Which guard a refusal's code names (the others are the handler's own failures). */
const REFUSED_BY: Partial<Record<string, string>> = {
  VALIDATION_FAILED: 'validation',
  UNKNOWN_TOOL: 'validation',
  PERMISSION_DENIED: 'role',
  APPROVAL_DENIED: 'approval',
  APPROVAL_EXPIRED: 'approval',
  RATE_LIMITED: 'rate-limit',
  CIRCUIT_OPEN: 'breaker',
};

/**
 * One tool call as an `execute_tool <name>` span in its run's trace, around the whole guarded
 * attempt (guards, handler, audit): the guards' spans and the DynamoDB calls nest beneath it.
 *
 * @example
 * const handler = (event, ctx) => traceToolCall(tool, event, () => attempt(event, ctx));
 */
export const traceToolCall = (tool: { name: string; risk: string }, event: unknown, run: () => Promise<ToolResult>): Promise<ToolResult> =>
  !tracingOn()
    ? run()
    : inSpan(
        SpanName.executeTool(tool.name),
        { attributes: callAttributes(tool, event) },
        runContext((event as { runId?: unknown } | null)?.runId),
        async (span) => {
          span.setAttributes(contentAttribute(ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, (event as { arguments?: unknown } | null)?.arguments));
          const result = await run();
          span.setAttribute(Attr.TOOL_OUTCOME, result.ok ? CallStatus.EXECUTED : statusOfCode[result.error.code]);
          if (!result.ok) {
            markFailed(span, result.error.code);
            const guard = REFUSED_BY[result.error.code];
            if (guard) span.setAttribute(Attr.REFUSED_BY, guard);
          } else span.setAttributes(contentAttribute(ATTR_GEN_AI_TOOL_CALL_RESULT, result.data));
          return result;
        },
      );

/**
 * A call that never reached its tool (refused at screening, its approval denied or expired), as
 * the loop saw it: an `execute_tool` span with what stopped it and, for an approval, the wait
 * beneath it, from when the call was asked for to when the loop learned its fate.
 */
export const recordUnreachedCall = (call: {
  readonly tool: string;
  readonly runId: string;
  readonly callId: string;
  readonly userId: string;
  readonly result: ToolResult;
  readonly refusedBy: string;
  readonly askedAt: number;
  readonly at: number;
  readonly approvalId?: string;
}): void => {
  const code = call.result.ok ? undefined : call.result.error.code;
  const attributes: Attributes = {
    ...callAttributes({ name: call.tool }, { runId: call.runId, callId: call.callId, caller: { userId: call.userId } }),
    [Attr.TOOL_OUTCOME]: call.result.ok ? CallStatus.EXECUTED : statusOfCode[call.result.error.code],
    [Attr.REFUSED_BY]: call.refusedBy,
  };
  const span = tracer().startSpan(SpanName.executeTool(call.tool), { startTime: call.askedAt, attributes }, runContext(call.runId));
  if (code) markFailed(span, code);
  if (call.approvalId)
    recordSpan(
      SpanName.approvalWait,
      trace.setSpan(runContext(call.runId), span),
      { start: call.askedAt, end: call.at },
      { [Attr.APPROVAL_ID]: call.approvalId, [Attr.APPROVAL_DECISION]: code === 'APPROVAL_EXPIRED' ? 'expired' : 'denied' },
    );
  span.end(Math.max(call.askedAt, call.at));
};
