import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  RandomIdGenerator,
  TracerProvider,
  type IdGenerator,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { redactString } from '../redaction/index.ts';
import { TracingConfigError } from './errors.ts';
import { ATTR_SERVICE_NAME, pinnedIds } from '../tracing/index.ts';

/** Random ids, except the run span's, which `withPinnedIds` fixes (see `recordRunSpan`). */
class RunIdGenerator implements IdGenerator {
  readonly #random = new RandomIdGenerator();
  generateTraceId(): string {
    return pinnedIds()?.traceId ?? this.#random.generateTraceId();
  }
  generateSpanId(): string {
    return pinnedIds()?.spanId ?? this.#random.generateSpanId();
  }
}

/** How spans go to an OTLP endpoint: `http/protobuf` (the default) or `http/json`. */
export const OtlpProtocol = { JSON: 'http/json', PROTOBUF: 'http/protobuf' } as const;

const tracesPathOf = (endpoint: string | undefined) => (endpoint ? `${endpoint.replace(/\/+$/, '')}/v1/traces` : undefined);

/**
 * The OTLP/HTTP exporter the standard variables ask for, or undefined when they name no endpoint:
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT`, and the protocol from
 * `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` or `OTEL_EXPORTER_OTLP_PROTOCOL` (default http/protobuf, as
 * the specification says). Headers, timeout and compression are the exporter's own variables.
 * `OTEL_TRACES_EXPORTER=none` turns export off.
 */
export const otlpExporterFromEnv = (env: NodeJS.ProcessEnv = process.env): SpanExporter | undefined => {
  if (env.OTEL_TRACES_EXPORTER?.trim() === 'none') return undefined;
  // The signal's own endpoint is used as it is; the general one gets the traces path (the specification's rule).
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || tracesPathOf(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
  if (!url) return undefined;
  if (!/^https?:\/\//.test(url))
    throw new TracingConfigError(`The OTLP endpoint must be an http(s) URL, not ${JSON.stringify(redactString(url))}`);
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? OtlpProtocol.PROTOBUF).trim();
  // Headers (an API key for a hosted backend) in the specification's format, from this environment.
  const headers = parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS);
  if (protocol === OtlpProtocol.JSON) return new OtlpJsonExporter({ url, headers });
  if (protocol === OtlpProtocol.PROTOBUF) return new OtlpProtobufExporter({ url, headers });
  throw new TracingConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL ${JSON.stringify(protocol)} is not supported: use http/protobuf or http/json`);
};

/**
 * What `startTracing` needs beside the standard OpenTelemetry variables: the service name, and
 * processors of its own.
 */
export interface TracingOptions {
  /** `service.name` of every span, unless OTEL_SERVICE_NAME says otherwise. */
  readonly serviceName: string;
  /** Where finished spans go besides the exporter the environment asks for (an in-memory store, a test's exporter). */
  readonly processors?: readonly SpanProcessor[];
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** A started tracing SDK: flush its spans, or shut it down. */
export interface Tracing {
  /** Sends what is buffered: a Lambda calls it before it answers, since a frozen container sends nothing. */
  readonly flush: () => Promise<void>;
  /** Flushes, then stops the SDK. */
  readonly shutdown: () => Promise<void>;
}

let started: Tracing | undefined;

/**
 * Registers the OpenTelemetry SDK for this process: the spans `shared/tracing` makes are then
 * recorded, batched and exported (OTLP by the standard variables, plus the given processors).
 * Without any exporter or processor nothing is registered, and the spans cost nothing. Once per
 * process: a second call gets the first one's handle. `OTEL_SDK_DISABLED=true` turns it off.
 *
 * @example
 * const tracing = startTracing({ serviceName: 'guarded-agents' });
 * // ... await tracing?.flush() before a Lambda answers
 */
export const startTracing = (options: TracingOptions): Tracing | undefined => {
  if (started) return started;
  const env = options.env ?? process.env;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporter = otlpExporterFromEnv(env);
  const processors = [...(options.processors ?? []), ...(exporter ? [new BatchSpanProcessor({ exporter })] : [])];
  if (processors.length === 0) return undefined;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? options.serviceName }),
    idGenerator: new RunIdGenerator(),
    spanProcessors: processors,
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  started = { flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
  return started;
};
