import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { requireEnv } from '../../shared/aws/index.ts';
import { startTracing, XRayOtlpExporter } from '../../shared/tracing-sdk/index.ts';
import * as FunctionEnv from './env/function-env.ts';
import { loadOtlpHeaders } from './otlp-headers.ts';

/**
 * This container's tracing, started at cold start from what the construct set: X-Ray's OTLP
 * endpoint (TRACES_TO_XRAY) and/or any OTLP endpoint by the standard variables
 * (`OTEL_EXPORTER_OTLP_*`, with headers from a secret: OTLP_HEADERS_SECRET_ARN). GuardedAgent imports this module into an entry only when its `tracing`
 * prop is set, so functions without tracing carry none of the SDK.
 */
const headers = await loadOtlpHeaders();
const tracing = startTracing({
  serviceName: 'guarded-agents',
  env: headers ? { ...process.env, OTEL_EXPORTER_OTLP_TRACES_HEADERS: headers } : process.env,
  processors: FunctionEnv.TRACES_TO_XRAY.read()
    ? [new BatchSpanProcessor({ exporter: new XRayOtlpExporter({ region: requireEnv('AWS_REGION') }) })]
    : [],
});

/**
 * A handler that sends its spans before it answers: Lambda freezes the container once the handler
 * returns, and a batch still buffered then would leave late or never. A failed export never fails
 * the answer.
 *
 * @example
 * export const handler = withTracing(createToolHandler(tool, deps));
 */
export const withTracing =
  <E, C, R>(handler: (event: E, context: C) => Promise<R>) =>
  async (event: E, context: C): Promise<R> => {
    try {
      return await handler(event, context);
    } finally {
      await tracing?.flush().catch(() => undefined);
    }
  };
