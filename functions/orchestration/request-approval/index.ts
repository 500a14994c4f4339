import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loopMetrics } from '../../commons/loop-metrics.ts';
import { DynamoDbApprovalStore, SlackNotifier } from '../../../shared/approval/index.ts';
import { requireEnv } from '../../../shared/aws/index.ts';
import { redactString } from '../../../shared/redaction/index.ts';
import { guardTableSpecs } from '../../../shared/tables/index.ts';
import { dynamoDb } from '../../commons/lambda-env.ts';
import { loadSlackConfig } from '../../commons/slack-config.ts';
import { createEscalationSweep, createRequestApproval, type RequestApprovalEvent } from './request-approval.ts';
import { approvalEscalationFrom, escalationGroupOf } from '../../commons/approval-escalation-env.ts';
import { FunctionEnv } from '../../commons/function-env.ts';

const logger = new Logger({ serviceName: 'guarded-agents' });
const slack = await loadSlackConfig();

const escalation = approvalEscalationFrom(process.env);
const approvals = new DynamoDbApprovalStore({
  client: dynamoDb,
  tableName: requireEnv(guardTableSpecs.approvals.envVar),
  ...escalationGroupOf(process.env),
});
const metrics = loopMetrics(
  new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'GuardedAgents', serviceName: 'guarded-agents' }),
);
const onNotifyError = (error: unknown) =>
  logger.warn('Slack could not be told of an approval', {
    errorMessage: redactString(error instanceof Error ? error.message : String(error)),
  });

const request = createRequestApproval({
  approvals,
  timeoutSeconds: Number(requireEnv(FunctionEnv.APPROVAL_TIMEOUT_SECONDS)),
  ...(slack ? { notifier: new SlackNotifier({ botToken: slack.botToken, channel: slack.channel }) } : {}),
  ...(escalation ? { escalation } : {}),
  onRequested: metrics.approvalRequested,
  onNotifyError,
});
// The escalation group's channel (else the approvals channel) hears of escalated approvals.
const sweep = escalation
  ? createEscalationSweep({
      approvals,
      escalation,
      ...(slack ? { notifier: new SlackNotifier({ botToken: slack.botToken, channel: escalation.slackChannel ?? slack.channel }) } : {}),
      onEscalated: metrics.approvalEscalated,
      onNotifyError,
    })
  : undefined;

/** The state machine's approval requests, and, every minute where escalation is declared, the EventBridge rule's `{ "sweep": true }`. */
export const handler = async (event: RequestApprovalEvent | { readonly sweep: true }) =>
  'sweep' in event ? ((await sweep?.()) ?? { escalated: [] }) : request(event);
