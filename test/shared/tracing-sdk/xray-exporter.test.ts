import { createHash, createHmac } from 'node:crypto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsFromEnv, XRayOtlpExporter } from '../../../shared/tracing-sdk/xray-exporter.ts';
import { startOtlpReceiver } from '../../support/otlp-receiver.ts';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
let status = 200;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => {
  receiver = await startOtlpReceiver({ status: () => status });
});
afterAll(() => receiver.close());

/** Two finished spans, as the batch processor hands them to an exporter. */
const someSpans = async (): Promise<ReadableSpan[]> => {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  const tracer = provider.getTracer('test');
  tracer.startSpan('invoke_agent').end();
  tracer.startSpan('chat demo').end();
  await provider.forceFlush();
  return memory.getFinishedSpans();
};
const exportTo = (exporter: XRayOtlpExporter, spans: ReadableSpan[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('XRayOtlpExporter', () => {
  it("posts OTLP/protobuf signed with SigV4 for X-Ray, which AWS's own algorithm verifies", async () => {
    status = 200;
    const exporter = new XRayOtlpExporter({
      region: 'eu-west-1',
      credentials: () => credentials,
      endpoint: `${receiver.endpoint}/v1/traces`,
    });
    const result = await exportTo(exporter, await someSpans());
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const got = receiver.received.at(-1);
    expect(got).toMatchObject({ method: 'POST', path: '/v1/traces', contentType: 'application/x-protobuf' });
    expect(got?.body.includes(Buffer.from('invoke_agent'))).toBe(true);
    expect(got?.headers['x-amz-security-token']).toBe('session-token');

    // The signature, recomputed here from the request as received (AWS Signature Version 4, step by step).
    const headers = got?.headers ?? {};
    const date = headers['x-amz-date'] as string;
    const match =
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/(\d{8})\/eu-west-1\/xray\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        headers.authorization ?? '',
      );
    expect(match).not.toBeNull();
    const [, day, signedHeaders, signature] = match as unknown as [string, string, string, string];
    const names = signedHeaders.split(';');
    expect(names).toEqual(expect.arrayContaining(['host', 'content-type', 'x-amz-date', 'x-amz-security-token']));
    const canonical = [
      'POST',
      '/v1/traces',
      '',
      ...names.map((name) => `${name}:${String(headers[name]).trim()}`),
      '',
      signedHeaders,
      sha256(got?.body as Buffer),
    ].join('\n');
    const scope = `${day}/eu-west-1/xray/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), 'eu-west-1'), 'xray'), 'aws4_request');
    expect(hmac(key, toSign).toString('hex')).toBe(signature);
  });

  it('reports a refused export as failed (the batch processor then drops it), without reading the answer', async () => {
    status = 403;
    const exporter = new XRayOtlpExporter({
      region: 'eu-west-1',
      credentials: () => credentials,
      endpoint: `${receiver.endpoint}/v1/traces`,
    });
    const result = await exportTo(exporter, await someSpans());
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('The X-Ray OTLP endpoint answered 403');
    status = 200;
  });

  it("signs with the function's credentials from its environment, and says so when there are none", () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 'c' })).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
      sessionToken: 'c',
    });
    expect(() => credentialsFromEnv({})).toThrow('No AWS credentials in the environment to sign spans for X-Ray with');
  });
});
