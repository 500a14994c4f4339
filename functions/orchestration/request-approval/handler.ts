import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbApprovalStore, SlackNotifier } from '../../../shared/approval/index.ts';
import { requireEnv } from '../../../shared/aws/index.ts';
import { redactString } from '../../../shared/redaction/index.ts';
import { guardTableSpecs } from '../../../shared/tables/index.ts';
import { dynamoDb } from '../../commons/clients/dynamodb.ts';
import { escalationGroupOf } from '../../commons/env/deployment-settings.ts';
import * as FunctionEnv from '../../commons/env/function-env.ts';
import { loopMetricsFromEnv } from '../../commons/loop-metrics.ts';
import { loadSlackConfig } from '../../commons/slack-config.ts';
import { createEscalationSweep, createRequestApproval, type RequestApprovalEvent } from './request-approval.ts';

/**
 * The deployed RequestApproval: configuration read once at cold start (a missing variable fails it
 * with its name). It answers the state machine's approval requests and, every minute where
 * escalation is declared, the EventBridge rule's `{ "sweep": true }`. Its Lambda entry is generated
 * by GuardedAgent, as every function's is.
 */
export const createRequestApprovalHandler = async () => {
  const logger = new Logger({ serviceName: 'guarded-agents' });
  const slack = await loadSlackConfig();
  const escalation = FunctionEnv.APPROVAL_ESCALATION.read();
  const approvals = new DynamoDbApprovalStore({
    client: dynamoDb,
    tableName: requireEnv(guardTableSpecs.approvals.envVar),
    ...escalationGroupOf(process.env),
  });
  const metrics = loopMetricsFromEnv();
  const onNotifyError = (error: unknown) =>
    logger.warn('Slack could not be told of an approval', {
      errorMessage: redactString(error instanceof Error ? error.message : String(error)),
    });

  const request = createRequestApproval({
    approvals,
    timeoutSeconds: FunctionEnv.APPROVAL_TIMEOUT_SECONDS.read(),
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

  return async (event: RequestApprovalEvent | { readonly sweep: true }) =>
    'sweep' in event ? ((await sweep?.()) ?? { escalated: [] }) : request(event);
};
