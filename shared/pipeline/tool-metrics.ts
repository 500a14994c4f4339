import type { MiddlewareObj } from '@middy/core';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { ErrorCode, failureOf } from '../tool-result/index.ts';
import { requestSlot, namedHooks } from '../plumbing/index.ts';

const startedSlot = requestSlot<number>('toolMetrics.startedAt');

/**
 * EMF metrics per call: invocations, duration, errors by code, throttles. The `tool` dimension is
 * a default dimension set by the pipeline, so every metric can be graphed per tool.
 */
export const toolMetrics = (metrics: Metrics, now: () => number = Date.now): MiddlewareObj => {
  const record = (request: { readonly internal: object }, error?: unknown) => {
    metrics.addMetric('ToolInvocations', MetricUnit.Count, 1);
    metrics.addMetric('ToolDuration', MetricUnit.Milliseconds, now() - (startedSlot.get(request) ?? now()));
    if (error === undefined) return;
    const { code } = failureOf(error);
    metrics.addMetric('ToolErrors', MetricUnit.Count, 1);
    const byCode = metrics.singleMetric();
    byCode.addDimension('code', code);
    byCode.addMetric('ToolErrorsByCode', MetricUnit.Count, 1);
    if (code === ErrorCode.RATE_LIMITED) metrics.addMetric('ToolThrottles', MetricUnit.Count, 1);
  };
  return namedHooks('toolMetrics', {
    before: (request) => startedSlot.set(request, now()),
    after: (request) => record(request),
    onError: (request) => record(request, request.error),
  });
};
