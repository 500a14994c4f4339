import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import * as FunctionEnv from '../../functions/commons/env/function-env.ts';
import { requireFeature } from '../../shared/optional-peers/index.ts';
import { CAPTURE_CONTENT_ENV } from '../../shared/tracing/index.ts';
import { acknowledge } from '../nag-acknowledgements.ts';

/** OpenTelemetry traces of each run, deployed (docs/tracing.md). */
export interface AgentTracing {
  /**
   * Send spans to AWS X-Ray's OTLP endpoint, signed with each function's role. The account needs
   * CloudWatch Transaction Search on (once per account and Region).
   * @default true
   */
  readonly xray?: boolean;
  /** Also send them to this OTLP/HTTP traces endpoint (a collector), e.g. `https://collector.example.com:4318/v1/traces`. @default none */
  readonly otlpEndpoint?: string;
  /** @default 'http/protobuf' */
  readonly otlpProtocol?: 'http/protobuf' | 'http/json';
  /**
   * The collector wants headers (an API key for a hosted backend): creates a secret to fill in
   * after deploying, in the OTEL_EXPORTER_OTLP_HEADERS format (`x-api-key=...,other=...`), read by
   * each traced function at cold start. The key is never in a function's configuration.
   * @default false
   */
  readonly otlpHeaders?: boolean;
  /** Prompts, answers, arguments and results in spans, redacted as in the audit trail. @default false */
  readonly captureContent?: boolean;
  /** `service.name` of the spans. @default 'guarded-agents' */
  readonly serviceName?: string;
}

/**
 * Refuses a tracing setting that would send nothing, or to a malformed endpoint, saying what to
 * set; and tracing without the OpenTelemetry SDK installed (the traced functions bundle it), saying
 * what to install.
 */
export const checkTracing = (tracing: AgentTracing): void => {
  if (tracing.xray === false && !tracing.otlpEndpoint)
    throw new Error('GuardedAgent tracing sends nowhere: leave xray on, or set otlpEndpoint (an OTLP/HTTP traces URL)');
  if (tracing.otlpHeaders && !tracing.otlpEndpoint)
    throw new Error('GuardedAgent tracing.otlpHeaders needs otlpEndpoint: the headers are for that collector');
  if (tracing.otlpEndpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(tracing.otlpEndpoint))
    throw new Error(`GuardedAgent tracing.otlpEndpoint must be an http(s) URL such as https://collector.example.com:4318/v1/traces`);
  requireFeature('tracing');
};

/** The environment that starts tracing in a function (functions/commons/lambda-tracing.ts reads it). */
export const tracingEnvironment = (tracing: AgentTracing): Record<string, string> => ({
  OTEL_SERVICE_NAME: tracing.serviceName ?? 'guarded-agents',
  [FunctionEnv.TRACES_TO_XRAY.name]: String(tracing.xray ?? true),
  ...(tracing.otlpEndpoint
    ? {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: tracing.otlpEndpoint,
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: tracing.otlpProtocol ?? 'http/protobuf',
      }
    : {}),
  ...(tracing.captureContent ? { [CAPTURE_CONTENT_ENV]: 'true' } : {}),
});

/** What a function needs to send spans where the tracing setting says: its environment, and X-Ray's write action. */
export const enableTracing = (
  fn: IFunction & { addEnvironment: (key: string, value: string) => unknown },
  tracing: AgentTracing,
  headersSecret?: ISecret,
): void => {
  for (const [key, value] of Object.entries(tracingEnvironment(tracing))) fn.addEnvironment(key, value);
  if (headersSecret) {
    headersSecret.grantRead(fn);
    fn.addEnvironment(FunctionEnv.OTLP_HEADERS_SECRET_ARN.name, headersSecret.secretArn);
  }
  if (tracing.xray === false) return;
  fn.addToRolePolicy(new PolicyStatement({ actions: ['xray:PutSpans', 'xray:PutSpansForIndexing'], resources: ['*'] }));
  acknowledge(
    fn,
    'AwsSolutions-IAM5[Resource::*]',
    "X-Ray's span-writing actions have no resource-level permissions: AWS documents Resource * for them; only these two actions are granted.",
  );
};
