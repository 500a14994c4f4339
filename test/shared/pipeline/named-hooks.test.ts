import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { DynamoDbApprovalReader } from '#shared/approval/index.ts';
import { approvalGate } from '#shared/approval/middleware.ts';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { auditTrail } from '#shared/audit/middleware.ts';
import { DynamoDbBreakerStore } from '#shared/breaker/index.ts';
import { circuitBreaker } from '#shared/breaker/middleware.ts';
import { DynamoDbIdempotencyStore } from '#shared/idempotency/index.ts';
import { idempotency } from '#shared/idempotency/middleware.ts';
import { admission } from '#shared/pipeline/admission.ts';
import { correlationIds } from '#shared/pipeline/correlation-ids.ts';
import { requireRole } from '#shared/pipeline/require-role.ts';
import { toolMetrics } from '#shared/pipeline/tool-metrics.ts';
import { toolResult } from '#shared/pipeline/tool-result.ts';
import { validateCall } from '#shared/pipeline/validate-call.ts';
import { DynamoDbBucketStore } from '#shared/rate-limit/index.ts';
import { rateLimit } from '#shared/rate-limit/middleware.ts';
import { testTool } from '../../support/test-tool.ts';

/** Each hook's function name, as middy's timing hooks report it. */
const namesOf = (middleware: object) =>
  Object.entries(middleware)
    .filter(([hook]) => ['before', 'after', 'onError'].includes(hook))
    .map(([, fn]) => (fn as { name: string }).name)
    .sort();

describe('middleware hooks are named as middy names its own', () => {
  it('<middleware>Before, <middleware>After, <middleware>OnError, for every middleware of the pipeline', () => {
    const client = new DynamoDBClient({ region: 'us-east-1' });
    const { tool } = testTool({ name: 'lookup_named_note' });
    const guards = [
      approvalGate({ store: new DynamoDbApprovalReader({ client, tableName: 't' }), tool: tool.name }),
      idempotency({ store: new DynamoDbIdempotencyStore({ client, tableName: 't' }), tool: tool.name, lockMs: 1 }),
      rateLimit({ store: new DynamoDbBucketStore({ client, tableName: 't' }), tool: tool.name, limits: tool.limits }),
      circuitBreaker({
        store: new DynamoDbBreakerStore({ client, tableName: 't' }),
        tool: tool.name,
        settings: tool.breaker,
        probeTimeoutMs: 1,
      }),
    ];
    expect(
      [
        ...guards,
        admission(guards),
        auditTrail({ store: new DynamoDbAuditStore({ client, tableName: 't' }), tool: tool.name }),
        toolMetrics(new Metrics({ namespace: 'n' })),
        toolResult(),
        correlationIds(new Logger(), tool.name),
        requireRole(tool),
        validateCall(tool),
      ].map(namesOf),
    ).toEqual([
      ['approvalGateBefore'],
      ['idempotencyAfter', 'idempotencyBefore', 'idempotencyOnError'],
      ['rateLimitBefore'],
      ['circuitBreakerAfter', 'circuitBreakerBefore', 'circuitBreakerOnError'],
      ['admissionBefore'],
      ['auditTrailAfter', 'auditTrailBefore', 'auditTrailOnError'],
      ['toolMetricsAfter', 'toolMetricsBefore', 'toolMetricsOnError'],
      ['toolResultAfter', 'toolResultOnError'],
      ['correlationIdsBefore'],
      ['requireRoleBefore'],
      ['validateCallBefore'],
    ]);
    client.destroy();
  });
});
