import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import * as FunctionEnv from './env/function-env.ts';

/** The agent loop's own metrics (EMF), published at once: the dashboard's runs and approvals panels read them. */
export const loopMetrics = (metrics: Metrics) => {
  const single = (
    name: string,
    value: number,
    unit: (typeof MetricUnit)[keyof typeof MetricUnit],
    dimensions: Record<string, string> = {},
  ) => {
    const metric = metrics.singleMetric();
    for (const [key, dim] of Object.entries(dimensions)) metric.addDimension(key, dim);
    metric.addMetric(name, unit, value);
  };
  return {
    runEnded: (status: string, iterations: number) => {
      single('RunsEnded', 1, MetricUnit.Count, { status });
      single('IterationsPerRun', iterations, MetricUnit.Count);
    },
    approvalRequested: () => single('Approvals', 1, MetricUnit.Count, { outcome: 'requested' }),
    approvalDecided: (decision: string) =>
      single('Approvals', 1, MetricUnit.Count, { outcome: decision === 'approve' ? 'approved' : 'denied' }),
    approvalExpired: () => single('Approvals', 1, MetricUnit.Count, { outcome: 'expired' }),
    /** An approval waited long enough to be offered to the escalation group. */
    approvalEscalated: () => single('Approvals', 1, MetricUnit.Count, { outcome: 'escalated' }),
    /** A run's audit seal could not be written (the next step retries it): alarm-worthy, the chain lags. */
    sealFailed: () => single('AuditSealFailures', 1, MetricUnit.Count),
    /** A budget over a window crossed its declared `alarmAt` share (the log line names whose). */
    spendAlarm: () => single('BudgetAlarms', 1, MetricUnit.Count),
    /** A finished run's chain could not be copied to the archive bucket. */
    archiveFailed: () => single('AuditArchiveFailures', 1, MetricUnit.Count),
  };
};

/** The deployed functions' loop metrics, in the namespace the construct set (Powertools' own variable). */
export const loopMetricsFromEnv = () =>
  loopMetrics(new Metrics({ namespace: FunctionEnv.POWERTOOLS_METRICS_NAMESPACE.read(), serviceName: 'guarded-agents' }));
