import type { AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';

/** A finished span as the console and tests read it: plain JSON, times in epoch milliseconds. */
export interface SpanRecord {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly startMs: number;
  readonly endMs: number;
  /** 0 unset, 1 ok, 2 error (OpenTelemetry's SpanStatusCode). */
  readonly status: number;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

const millis = ([seconds, nanos]: readonly [number, number]) => seconds * 1000 + nanos / 1e6;

/** A finished span as `RecentTraces` keeps it (and `GET /runs/{id}/trace` gives it). */
export const spanRecordOf = (span: ReadableSpan): SpanRecord => {
  const { traceId, spanId } = span.spanContext();
  const attributes: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(span.attributes)) if (value !== undefined) attributes[key] = value;
  return {
    traceId,
    spanId,
    ...(span.parentSpanContext ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    name: span.name,
    kind: span.kind,
    startMs: millis(span.startTime),
    endMs: millis(span.endTime),
    status: span.status.code,
    attributes,
  };
};

/**
 * The spans of the most recent traces, in memory: what local mode keeps when no OTLP endpoint is
 * set (and beside one when it is), for the console's waterfall and for tests. The oldest trace is
 * dropped first; a trace keeps at most `maxSpansPerTrace` spans.
 *
 * @example
 * const recent = new RecentTraces();
 * startTracing({ serviceName: 'guarded-agents', processors: [recent] });
 * recent.spansOf(runTraceIds(runId).traceId);
 */
export class RecentTraces implements SpanProcessor {
  readonly #traces = new Map<string, SpanRecord[]>();
  readonly #maxTraces: number;
  readonly #maxSpansPerTrace: number;

  /** @param options.maxTraces @default 200 @param options.maxSpansPerTrace @default 2000 */
  constructor(options: { maxTraces?: number; maxSpansPerTrace?: number } = {}) {
    this.#maxTraces = options.maxTraces ?? 200;
    this.#maxSpansPerTrace = options.maxSpansPerTrace ?? 2000;
  }

  /** The spans of one trace, in the order they ended. */
  spansOf(traceId: string): readonly SpanRecord[] {
    return [...(this.#traces.get(traceId) ?? [])];
  }

  /** The spans, of any trace, whose attribute `name` is `value` (an MCP session's calls by `gen_ai.conversation.id`). */
  spansWith(name: string, value: string): SpanRecord[] {
    return [...this.#traces.values()].flat().filter((span) => span.attributes[name] === value);
  }

  /** Nothing to do as a span starts: spans are kept as they end. */
  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    const record = spanRecordOf(span);
    const spans = this.#traces.get(record.traceId) ?? [];
    if (spans.length >= this.#maxSpansPerTrace) return;
    // Re-inserted, so the trace written to last is the newest.
    this.#traces.delete(record.traceId);
    spans.push(record);
    this.#traces.set(record.traceId, spans);
    while (this.#traces.size > this.#maxTraces) this.#traces.delete(this.#traces.keys().next().value as string);
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.#traces.clear();
  }
}
