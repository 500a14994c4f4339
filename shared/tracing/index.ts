/**
 * `guarded-agents/tracing`: OpenTelemetry spans of each run by the GenAI conventions, one trace per
 * run (README, "Traces"). Inside a tool's handler the call's `execute_tool` span is the active one:
 * spans a handler starts with `@opentelemetry/api` nest beneath it. Only `@opentelemetry/api`: the
 * SDK that records and exports the spans is shared/tracing-sdk (optional peers).
 */
export { Attr, CAPTURE_CONTENT_ENV, GuardDecision, SpanName, TRACER_NAME } from './constants.ts';
export { capturesContent, contentAttribute } from './content.ts';
export { traceDynamoDb } from './dynamodb-spans.ts';
export { RecentTraces, spanRecordOf, type SpanRecord } from './recent-traces.ts';
export { MCP_RUN_PREFIX, pseudonymOf, runContext, runTraceIds, type RunTraceIds } from './run-trace.ts';
export { traceApprovalWait } from './approval-span.ts';
export { tracePolicyDecision } from './policy-span.ts';
export { guardSpan } from './guard-span.ts';
export { traceChat, traceRunEnded } from './loop-spans.ts';
export { inSpan, markFailed, recordRunSpan, recordSpan, tracer, tracingOn } from './spans.ts';
export { recordUnreachedCall, traceToolCall } from './tool-span.ts';
// For shared/tracing-sdk: its id generator reads the ids a run span pins (withPinnedIds); its resource names the service.
export { pinnedIds } from './pinned-ids.ts';
export { ATTR_SERVICE_NAME } from './semconv.ts';
// What the exports above name in their signatures, so a team can name it too (and the API reference shows it).
export type { Decision, GuardSpan } from './guard-span.ts';
export type { EndedRun } from './loop-spans.ts';
