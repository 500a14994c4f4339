import { requireFeature } from '../../shared/optional-peers/index.ts';
import { RecentTraces, runTraceIds, type SpanRecord } from '../../shared/tracing/index.ts';

// The SDK is an optional peer: checked first, so a missing one is an error naming the install
// command, not Node's "Cannot find package" from a static import.
requireFeature('tracing');
const { startTracing } = await import('../../shared/tracing-sdk/index.ts');

/** The process's recent traces: one store however many local systems a process starts (tests start several). */
const recent = new RecentTraces();

/**
 * Tracing for local mode: spans always kept in memory (the console's waterfall), and exported over
 * OTLP too when the standard variables name an endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`, with
 * `OTEL_EXPORTER_OTLP_PROTOCOL` http/protobuf or http/json), as deployed. Started once per process.
 */
export const startLocalTracing = () => {
  const tracing = startTracing({ serviceName: 'guarded-agents-local', processors: [recent] });
  return {
    /** The spans of one run's trace so far, oldest start first. */
    spansOfRun: (runId: string): SpanRecord[] => [...recent.spansOf(runTraceIds(runId).traceId)].sort((a, b) => a.startMs - b.startMs),
    /** The spans of an MCP session's calls (each a trace of its own), by the session's run id. */
    spansOfConversation: (runId: string): SpanRecord[] => recent.spansWith('gen_ai.conversation.id', runId),
    /** Sends what the OTLP exporter still holds (tests; a stop). */
    flush: async () => tracing?.flush(),
  };
};
