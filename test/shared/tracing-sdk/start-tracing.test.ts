import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otlpExporterFromEnv, TracingConfigError } from '../../../shared/tracing-sdk/index.ts';
import { startOtlpReceiver } from '../../support/otlp-receiver.ts';

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

/** One span through the exporter the variables ask for, to the local receiver. */
const exportOneSpan = async (env: NodeJS.ProcessEnv) => {
  const exporter = otlpExporterFromEnv(env);
  if (!exporter) throw new Error('no exporter');
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  provider
    .getTracer('test')
    .startSpan('chat demo', { attributes: { 'gen_ai.operation.name': 'chat' } })
    .end();
  await provider.forceFlush();
  await provider.shutdown();
  return receiver.received.at(-1);
};

describe('otlpExporterFromEnv', () => {
  it('exports nothing when no endpoint is named, or when export is turned off', () => {
    expect(otlpExporterFromEnv({})).toBeUndefined();
    expect(otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
  });

  it('sends OTLP/JSON to the general endpoint plus /v1/traces', async () => {
    const got = await exportOneSpan({
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.endpoint}/`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc123,x-team=support%20desk',
    });
    expect(got).toMatchObject({ method: 'POST', path: '/v1/traces', contentType: 'application/json' });
    // The headers of the environment given (a hosted backend's key), decoded as the specification says.
    expect(got?.headers).toMatchObject({ 'x-api-key': 'abc123', 'x-team': 'support desk' });
    const body = JSON.parse(String(got?.body)) as {
      resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; attributes: unknown[] }> }> }>;
    };
    const span = body.resourceSpans[0]?.scopeSpans[0]?.spans[0];
    expect(span?.name).toBe('chat demo');
    expect(span?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span?.attributes).toEqual([{ key: 'gen_ai.operation.name', value: { stringValue: 'chat' } }]);
  });

  it('sends OTLP/protobuf by default, to the traces endpoint as it is given', async () => {
    const got = await exportOneSpan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.endpoint}/custom/traces` });
    expect(got).toMatchObject({ method: 'POST', path: '/custom/traces', contentType: 'application/x-protobuf' });
    // Protobuf keeps strings as UTF-8 bytes: the span's name and attribute are in the message.
    expect(got?.body.includes(Buffer.from('chat demo'))).toBe(true);
    expect(got?.body.includes(Buffer.from('gen_ai.operation.name'))).toBe(true);
  });

  it('refuses a protocol it cannot speak, and an endpoint that is not http(s), saying what to set', () => {
    expect(() =>
      otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(new TracingConfigError('OTEL_EXPORTER_OTLP_PROTOCOL "grpc" is not supported: use http/protobuf or http/json'));
    expect(() => otlpExporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' })).toThrow(/must be an http\(s\) URL/);
  });
});
