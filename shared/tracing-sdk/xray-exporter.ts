import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytesOf = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the signer takes. */
class Sha256 {
  readonly #hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.#hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: SourceData): void {
    this.#hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

/** The credentials the X-Ray exporter signs with, from the function's environment. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The function's own credentials, as the Lambda runtime puts them in its environment (read on each export: they rotate). */
export const credentialsFromEnv = (env: NodeJS.ProcessEnv = process.env): AwsCredentials => {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) throw new Error('No AWS credentials in the environment to sign spans for X-Ray with');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
};

/** Where `XRayOtlpExporter` sends spans: the region, the credentials, and the endpoint. */
export interface XRayOtlpExporterOptions {
  readonly region: string;
  /** @default the function's credentials from its environment */
  readonly credentials?: () => AwsCredentials;
  /**
   * @default X-Ray's OTLP endpoint, https://xray.<region>.amazonaws.com/v1/traces (the account needs
   * Transaction Search), or the SDK's endpoint variables AWS_ENDPOINT_URL_XRAY / AWS_ENDPOINT_URL
   * with /v1/traces, as every AWS SDK client honours them
   */
  readonly endpoint?: string;
  /** @default 10000 */
  readonly timeoutMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * OTLP/protobuf to AWS X-Ray's OTLP endpoint, signed with SigV4 as the service requires: spans go
 * to X-Ray and CloudWatch (Transaction Search) with no collector, layer or agent beside the
 * function, and in the bundle only the signer the AWS SDK already brings. X-Ray takes W3C trace
 * ids, so a run's trace keeps the id it has everywhere else.
 *
 * @example
 * new BatchSpanProcessor({ exporter: new XRayOtlpExporter({ region: process.env.AWS_REGION }) })
 */
export class XRayOtlpExporter implements SpanExporter {
  readonly #url: URL;
  readonly #signer: SignatureV4;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(options: XRayOtlpExporterOptions) {
    const base = process.env.AWS_ENDPOINT_URL_XRAY ?? process.env.AWS_ENDPOINT_URL ?? `https://xray.${options.region}.amazonaws.com`;
    this.#url = new URL(options.endpoint ?? `${base.replace(/\/+$/, '')}/v1/traces`);
    const credentials = options.credentials ?? (() => credentialsFromEnv());
    this.#signer = new SignatureV4({ service: 'xray', region: options.region, credentials: async () => credentials(), sha256: Sha256 });
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const sending = this.#send(spans).then(
      () => resultCallback({ code: ExportResultCode.SUCCESS }),
      (error: unknown) =>
        resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
    this.#pending.add(sending);
    void sending.finally(() => this.#pending.delete(sending));
  }

  async #send(spans: ReadableSpan[]): Promise<void> {
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (!body) throw new Error('The spans could not be serialized');
    const url = this.#url;
    const signed = await this.#signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-protobuf' },
      body,
    });
    const response = await this.#fetch(url, {
      method: 'POST',
      headers: signed.headers,
      body: Buffer.from(body),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    // The answer's body is not read: it may quote the request, and spans' content stays out of logs.
    await response.body?.cancel();
    if (!response.ok) throw new Error(`The X-Ray OTLP endpoint answered ${response.status}`);
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}
