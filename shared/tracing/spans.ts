import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type ProxyTracerProvider,
  type Span,
} from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from './semconv.ts';
import { SpanName, TRACER_NAME } from './constants.ts';
import { withPinnedIds } from './pinned-ids.ts';
import { runTraceIds } from './run-trace.ts';

/** The package's tracer, from whatever provider is registered (none: every span is a no-op). */
export const tracer = () => trace.getTracer(TRACER_NAME);

/**
 * Whether an SDK records spans in this process. The API's global provider is a proxy that hands
 * out a real tracer only once an SDK is registered: without one, the hot paths (every tool call,
 * every guard) skip building spans and their attributes (hashes, redaction) altogether.
 */
export const tracingOn = (): boolean => {
  const provider = trace.getTracerProvider() as Partial<Pick<ProxyTracerProvider, 'getDelegateTracer'>>;
  return provider.getDelegateTracer ? provider.getDelegateTracer(TRACER_NAME) !== undefined : true;
};

/**
 * Marks a span failed with the error's type only: an error's message can quote arguments or data,
 * and spans leave for systems with other readers, so the message stays in the logs (redacted).
 */
export const markFailed = (span: Span, errorType: string): void => {
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR });
};

/**
 * Runs `fn` inside a new active span (child of `parent`, default the active context), ending it
 * when `fn` settles; a throw marks it failed with the error's name and goes on.
 *
 * @example
 * const turn = await inSpan('chat gpt-4o', { attributes }, runContext(runId), (span) => model.converse(request));
 */
export const inSpan = <T>(
  name: string,
  options: { attributes?: Attributes; kind?: SpanKind },
  parent: Context | undefined,
  fn: (span: Span) => Promise<T>,
): Promise<T> =>
  tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    parent ?? context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        markFailed(span, error instanceof Error ? error.name : 'Error');
        throw error;
      } finally {
        span.end();
      }
    },
  );

/** A span for something that has already happened (an approval wait), from its recorded times. */
export const recordSpan = (
  name: string,
  parent: Context,
  times: { start: number; end: number },
  attributes: Attributes,
  errorType?: string,
): void => {
  const span = tracer().startSpan(name, { startTime: times.start, attributes }, parent);
  if (errorType) markFailed(span, errorType);
  span.end(Math.max(times.start, times.end));
};

/**
 * A run's `invoke_agent` span, written once when the run ends, from the run's start: with the ids
 * every span of the run named as their parent (see `runTraceIds`), so the whole run is one tree.
 */
export const recordRunSpan = (runId: string, times: { start: number; end: number }, attributes: Attributes, errorType?: string): void => {
  const span = withPinnedIds(runTraceIds(runId), () =>
    tracer().startSpan(SpanName.invokeAgent, { kind: SpanKind.INTERNAL, startTime: times.start, attributes, root: true }),
  );
  if (errorType) markFailed(span, errorType);
  span.end(Math.max(times.start, times.end));
};
