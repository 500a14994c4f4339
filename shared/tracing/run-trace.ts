import { createHash } from 'node:crypto';
import { ROOT_CONTEXT, trace, TraceFlags, type Context } from '@opentelemetry/api';

/**
 * A run's trace id and root span id, derived from its run id so every function puts its spans in
 * the run's one trace.
 */
export interface RunTraceIds {
  /** 32 hex characters. */
  readonly traceId: string;
  /** The run's `invoke_agent` span: 16 hex characters. */
  readonly spanId: string;
}

/**
 * A run's trace id and root span id, derived from its run id. Every function that works on a run
 * (CallModel on each iteration, each tool's Lambda, the approval step) knows its run id, so each
 * puts its spans into the run's one trace with no context carried through the state machine, across
 * restarts and retries alike.
 *
 * @example
 * runTraceIds('run-1') // => { traceId: '…32 hex…', spanId: '…16 hex…' }, the same every time
 */
export const runTraceIds = (runId: string): RunTraceIds => {
  const hex = createHash('sha256').update(`guarded-agents run trace\0${runId}`).digest('hex');
  return { traceId: hex.slice(0, 32), spanId: hex.slice(32, 48) };
};

/**
 * The runs of MCP sessions (`mcp-<session>`): a session never ends, so no `invoke_agent` span would
 * ever be written for it. Its calls are traces of their own instead, each rooted at its
 * `execute_tool` span and grouped by `gen_ai.conversation.id` (the session's run id).
 */
export const MCP_RUN_PREFIX = 'mcp-';

/** Run ids as this system makes them; anything else (a refused, malformed call) gets no run trace. */
const RUN_ID = /^[\w.:-]{1,128}$/;

/**
 * The context whose parent is the run's `invoke_agent` span: spans started in it join the run's
 * trace. A value that is not a run id, or an MCP session's, gives the root context (a trace of its own).
 *
 * @example
 * // A span a handler starts for its run joins the run's one trace.
 * await context.with(runContext(invocation.runId), () => tracer().startActiveSpan('my-step', (span) => span.end()));
 */
export const runContext = (runId: unknown): Context => {
  if (typeof runId !== 'string' || !RUN_ID.test(runId) || runId.startsWith(MCP_RUN_PREFIX)) return ROOT_CONTEXT;
  const { traceId, spanId } = runTraceIds(runId);
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
};

/**
 * A user id as spans carry it (`enduser.pseudo.id`): the same user gives the same value, so a trace
 * backend can group by user, but the id itself is not in the span.
 */
export const pseudonymOf = (userId: string): string =>
  createHash('sha256').update(`guarded-agents user\0${userId}`).digest('hex').slice(0, 16);
