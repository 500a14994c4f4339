import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyTool } from '#shared/tool/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { runTraceIds } from '#shared/tracing/index.ts';
import { startOtlpReceiver } from '../../support/otlp-receiver.ts';
import { type Bundles } from '../../support/lambda-bundles.ts';
import { useBundleSystem, synthBundles, invoke, scriptedRun, call, listenOn } from './bundle-harness.ts';
import recordedSecret from '../../fixtures/secrets-manager/get-secret-value.json' with { type: 'json' };

// A traced deployment: its bundles send their spans, signed for X-Ray and to an OTLP endpoint.
useBundleSystem();

describe('a traced deployment: its bundles send their spans, signed for X-Ray and to an OTLP endpoint', () => {
  let traced: Bundles;
  // The same deployment without tracing: the control.
  let plain: Bundles;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  // Secrets Manager, which cannot run here: GetSecretValue answered in its documented shape (AWS JSON 1.1), the headers as the secret's value.
  let secrets: Server;
  let secretsEndpoint: string;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    secrets = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ...recordedSecret, SecretString: 'x-api-key=bundle-key-123' }));
    });
    secretsEndpoint = `http://127.0.0.1:${await listenOn(secrets)}`;
    plain = await synthBundles('Plain', { tools: [toolCatalog.resolve('lookup_order')] as AnyTool[] });
    traced = await synthBundles('Traced', {
      tools: [toolCatalog.resolve('lookup_order')] as AnyTool[],
      tracing: { xray: true, otlpEndpoint: `${receiver.endpoint}/collector/v1/traces`, otlpProtocol: 'http/json', otlpHeaders: true },
    });
  }, 180_000);
  afterAll(async () => {
    await receiver?.close();
    secrets?.close();
  });
  // X-Ray's endpoint is the receiver too, and Secrets Manager the stub, by the variables every AWS SDK client honours.
  const toReceiver = () => ({
    AWS_ENDPOINT_URL_XRAY: receiver.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint,
    OTLP_HEADERS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:TracingHeaders-a1b2c3',
    ALLOW_SCRIPTED_MODEL: 'true',
  });
  const spanNamesOf = (body: Buffer) =>
    (
      JSON.parse(String(body)) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; traceId: string }> }> }> }
    ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

  it('a tool sends its call, its guards and their DynamoDB requests before it answers', async () => {
    const event = { ...call('lookup_order', { orderId: 'ORD-104233' }), runId: 'run-bundle-traced' };
    expect(await invoke('lookup_order', event, toReceiver(), traced)).toMatchObject({ ok: true });
    const collector = receiver.received.filter((r) => r.path === '/collector/v1/traces');
    // With the headers from the secret: the collector's key never sits in the function's configuration.
    for (const request of collector) expect(request.headers['x-api-key']).toBe('bundle-key-123');
    const spans = collector.flatMap((r) => spanNamesOf(r.body));
    expect(spans.map((s) => s.name)).toEqual(
      expect.arrayContaining(['execute_tool lookup_order', 'guard idempotency', 'guard rate-limit', 'guard breaker', 'DynamoDB.PutItem']),
    );
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([runTraceIds('run-bundle-traced').traceId]));
    const xray = receiver.received.filter((r) => r.path === '/v1/traces');
    expect(xray.length).toBeGreaterThan(0);
    for (const request of xray) {
      expect(request.contentType).toBe('application/x-protobuf');
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/us-east-1\/xray\/aws4_request, /);
      expect(request.body.includes(Buffer.from('execute_tool lookup_order'))).toBe(true);
    }
  });

  it("CallModel sends the model call and, when the run ends, the run's span", async () => {
    const runId = 'run-bundle-traced-loop';
    await scriptedRun(runId, [{ text: 'Hello.' }]);
    expect(await invoke('CallModel', { runId }, toReceiver(), traced)).toEqual({ runId, done: true });
    const spans = receiver.received.filter((r) => r.path === '/collector/v1/traces').flatMap((r) => spanNamesOf(r.body));
    const ofRun = spans.filter((s) => s.traceId === runTraceIds(runId).traceId).map((s) => s.name);
    expect(ofRun).toEqual(expect.arrayContaining(['chat scripted', 'invoke_agent']));
  });

  it('leaves the tracing SDK out of the bundles of a deployment without tracing', async () => {
    const without = await readFile((plain.get('lookup_order') as { file: string }).file, 'utf8');
    const withTracing = await readFile((traced.get('lookup_order') as { file: string }).file, 'utf8');
    expect(withTracing).toContain('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    expect(without).not.toContain('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    expect(without).not.toContain('TRACES_TO_XRAY');
  });
});
