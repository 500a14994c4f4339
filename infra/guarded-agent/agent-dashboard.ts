import { Duration } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  LogQueryVisualizationType,
  LogQueryWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IMetric,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AnyTool } from '../../shared/tool/index.ts';
import { ErrorCode } from '../../shared/tool-result/index.ts';
import { acknowledge } from '../nag-acknowledgements.ts';

/**
 * What `AgentDashboard` graphs and alarms on: the tools, the state machine, the metrics namespace,
 * the alarm topic's subscribers.
 */
export interface AgentDashboardProps {
  readonly tools: readonly AnyTool[];
  readonly stateMachine: StateMachine;
  /** EMF namespace the tool functions publish to. */
  readonly namespace: string;
  /** Powertools service name (a dimension of every metric). */
  readonly service: string;
  /** Alarm when this share of a tool's calls fail within 5 minutes. @default 0.2 */
  readonly errorRatioThreshold?: number;
  /** Subscribe this address to the alarm topic (it confirms by e-mail). @default no subscription */
  readonly alarmEmail?: string;
  /** Spending by user, tenant and tool, read from the logs (Logs Insights): CallModel's log group and the tools'. */
  readonly spendLogs?: { readonly callModel: string; readonly tools: readonly string[] };
  /** Alarm when a budget over a window crosses its declared `alarmAt` share (GuardedAgent's `spendBudgets`). @default no alarm */
  readonly budgetAlarm?: boolean;
}

/**
 * What is watched, from the metrics the guard pipeline emits (EMF) and the state machine's own:
 * per tool calls, errors by code, p95 duration, throttles, breaker transitions; executions.
 * Then the loop: runs by status, iterations per run, approvals by outcome, executions.
 * Alarms: a breaker opened, a tool's error ratio, approvals expiring, failed and throttled executions.
 *
 * @example
 * // GuardedAgent makes it; add a widget of your own, or subscribe to its alarm topic.
 * const agent = new GuardedAgent(stack, 'Agent', { tools, toolsDir });
 * agent.dashboard.alarmTopic.addSubscription(new EmailSubscription('oncall@example.com'));
 */
export class AgentDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly alarms: Alarm[] = [];
  /** Every alarm notifies this topic (alarm and back to OK): subscribe a pager, chat or e-mail to it. */
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: AgentDashboardProps) {
    super(scope, id);
    const widgets: IWidget[] = [
      new TextWidget({
        markdown:
          '# Guarded agents\nPer tool: calls, errors by code, p95 duration, throttles and breaker transitions. Then the agent loop.',
        width: 24,
        height: 2,
      }),
      ...props.tools.flatMap((tool) => this.#tool(props, tool.name)),
      ...this.#loop(props),
      ...this.#executions(props.stateMachine),
    ];
    this.dashboard = new Dashboard(this, 'Dashboard', { widgets: [widgets] });
    this.alarmTopic = this.#notify(props);
  }

  /** An alarm on any occurrence in 5 minutes (none is fine). */
  #alarmOnAny(id: string, alarmDescription: string, metric: IMetric): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarms.push(alarm);
    return alarm;
  }

  /** One tool's three graphs, and its alarms: the breaker opened, the error ratio. */
  #tool(props: AgentDashboardProps, tool: string): IWidget[] {
    const metric = (name: string, statistic = 'Sum', extra: Record<string, string> = {}) =>
      metricOf(props, name, statistic, { tool, ...extra });
    const invocations = metric('ToolInvocations');
    const errors = metric('ToolErrors');
    this.#alarmOnAny(
      `${tool}-BreakerOpen`,
      `The circuit breaker of ${tool} opened: the tool is failing and calls are refused.`,
      metric('BreakerTransitions', 'Sum', { state: 'OPEN' }),
    );
    this.alarms.push(
      new Alarm(this, `${tool}-ErrorRatio`, {
        alarmDescription: `More than ${(props.errorRatioThreshold ?? 0.2) * 100}% of ${tool} calls failed in 5 minutes.`,
        metric: new MathExpression({
          expression: 'IF(calls > 0, errors / calls, 0)',
          usingMetrics: { calls: invocations, errors },
          period: Duration.minutes(5),
          label: `${tool} error ratio`,
        }),
        threshold: props.errorRatioThreshold ?? 0.2,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    return [
      new GraphWidget({ title: `${tool}: calls and errors`, left: [invocations, errors], right: [metric('ToolThrottles')], width: 8 }),
      new GraphWidget({
        title: `${tool}: errors by code`,
        left: Object.values(ErrorCode).map((code) => metric('ToolErrorsByCode', 'Sum', { code })),
        width: 8,
      }),
      new GraphWidget({
        title: `${tool}: p95 duration and breaker`,
        left: [metric('ToolDuration', 'p95')],
        right: ['OPEN', 'HALF_OPEN', 'CLOSED'].map((state) => metric('BreakerTransitions', 'Sum', { state })),
        width: 8,
      }),
    ];
  }

  /** The loop: runs by status, iterations, approvals (alarm: one expired), spending (from the logs; alarm: a budget's share crossed). */
  #loop(props: AgentDashboardProps): IWidget[] {
    const loop = (name: string, statistic = 'Sum', dimensionsMap: Record<string, string> = {}) =>
      metricOf(props, name, statistic, dimensionsMap);
    this.#alarmOnAny(
      'ApprovalsExpiring',
      'Destructive calls waited out their approval: nobody is watching the approvals.',
      loop('Approvals', 'Sum', { outcome: 'expired' }),
    );
    if (props.budgetAlarm)
      this.#alarmOnAny(
        'BudgetAlarmShare',
        "A budget over a window crossed its alarmAt share: CallModel's log line 'budget alarm share crossed' names whose and which.",
        loop('BudgetAlarms'),
      );
    return [
      new GraphWidget({
        title: 'Runs by status',
        left: ['SUCCEEDED', 'MAX_ITERATIONS', 'BUDGET_EXHAUSTED', 'FAILED'].map((status) => loop('RunsEnded', 'Sum', { status })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Iterations per run',
        left: [loop('IterationsPerRun', 'Average'), loop('IterationsPerRun', 'Maximum')],
        width: 8,
      }),
      new GraphWidget({
        title: 'Approvals: requested, approved, denied, expired',
        left: ['requested', 'approved', 'denied', 'expired'].map((outcome) => loop('Approvals', 'Sum', { outcome })),
        width: 8,
      }),
      // Spending by who spends: per-user metrics would cost a metric each, so the logs are queried instead.
      ...(props.spendLogs
        ? [
            new LogQueryWidget({
              title: 'Model spend by user and tenant (tokens; dollars with a price table)',
              logGroupNames: [props.spendLogs.callModel],
              queryLines: [
                "filter message = 'model call'",
                'stats sum(inputTokens + outputTokens) as tokens, sum(usd) as dollars, count(*) as modelCalls by user, tenant',
                'sort dollars desc, tokens desc',
                'limit 20',
              ],
              view: LogQueryVisualizationType.TABLE,
              width: 12,
            }),
            new LogQueryWidget({
              title: 'Tool calls by user and tool',
              logGroupNames: [...props.spendLogs.tools],
              queryLines: ["filter message = 'tool call'", 'stats count(*) as calls by userId, tool', 'sort calls desc', 'limit 20'],
              view: LogQueryVisualizationType.TABLE,
              width: 12,
            }),
          ]
        : []),
    ];
  }

  /** The state machine's own: executions by outcome, p95 time; alarms on failed and throttled executions. */
  #executions(machine: StateMachine): IWidget[] {
    this.#alarmOnAny(
      'FailedExecutions',
      'Agent runs failed (the platform, not the model): see the run records and the logs.',
      machine.metricFailed({ period: Duration.minutes(5) }),
    );
    this.#alarmOnAny(
      'ThrottledExecutions',
      'Step Functions throttled the agent loop.',
      machine.metricThrottled({ period: Duration.minutes(5) }),
    );
    return [
      new GraphWidget({
        title: 'Runs: executions by outcome',
        left: [
          machine.metricStarted(),
          machine.metricSucceeded(),
          machine.metricFailed(),
          machine.metricTimedOut(),
          machine.metricThrottled(),
        ],
        width: 12,
      }),
      new GraphWidget({ title: 'Runs: execution time (p95)', left: [machine.metricTime({ statistic: 'p95' })], width: 12 }),
    ];
  }

  /** An alarm nobody hears is no alarm: every one notifies the topic, on alarm and on recovery. */
  #notify(props: AgentDashboardProps): Topic {
    const topic = new Topic(this, 'AlarmTopic', { displayName: 'guarded-agents alarms', enforceSSL: true });
    acknowledge(
      topic,
      'AwsSolutions-SNS2',
      'Alarm notifications carry alarm names and states only; encrypting them needs a customer managed key (AWS-managed SNS keys refuse CloudWatch), a monthly cost left to the deployer.',
    );
    if (props.alarmEmail)
      acknowledge(
        topic.addSubscription(new EmailSubscription(props.alarmEmail)),
        'Serverless-SNSRedrivePolicy',
        'An e-mail that could not be delivered is lost, not the alarm: its state stays in CloudWatch and the next change notifies again (a dead-letter queue for e-mail would need someone reading it).',
      );
    const action = new SnsAction(topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return topic;
  }
}

/** One of the pipeline's or the loop's metrics (EMF), over 5 minutes. */
const metricOf = (props: AgentDashboardProps, metricName: string, statistic: string, dimensions: Record<string, string>) =>
  new Metric({
    namespace: props.namespace,
    metricName,
    dimensionsMap: { service: props.service, ...dimensions },
    statistic,
    period: Duration.minutes(5),
  });
