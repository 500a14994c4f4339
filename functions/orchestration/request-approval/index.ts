import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loopMetrics } from '../../commons/loop-metrics.ts';
import { DynamoDbApprovalStore } from '../../../shared/approval/dynamodb-approval-store.ts';
import { SlackNotifier } from '../../../shared/approval/slack-notifier.ts';
import { requireEnv } from '../../../shared/aws/env.ts';
import { redactString } from '../../../shared/redaction/redact.ts';
import { guardTableSpecs } from '../../../shared/tables/table-spec.ts';
import { dynamoDb } from '../../commons/lambda-env.ts';
import { loadSlackConfig } from '../../commons/slack-config.ts';
import { createRequestApproval } from './request-approval.ts';
import { FunctionEnv } from '../../commons/function-env.ts';

const logger = new Logger({ serviceName: 'guarded-agents' });
const slack = await loadSlackConfig();

export const handler = createRequestApproval({
  approvals: new DynamoDbApprovalStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
  timeoutSeconds: Number(requireEnv(FunctionEnv.APPROVAL_TIMEOUT_SECONDS)),
  ...(slack ? { notifier: new SlackNotifier({ botToken: slack.botToken, channel: slack.channel }) } : {}),
  onRequested: loopMetrics(
    new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'GuardedAgents', serviceName: 'guarded-agents' }),
  ).approvalRequested,
  onNotifyError: (error) =>
    logger.warn('Slack could not be told of an approval', {
      errorMessage: redactString(error instanceof Error ? error.message : String(error)),
    }),
});
