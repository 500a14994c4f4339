import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { randomUUID } from 'node:crypto';
import {
  APPROVAL_TASK_GRACE_SECONDS,
  DynamoDbApprovalStore,
  DynamoDbDecisionOutbox,
  slackCognitoResolver,
  SlackNotifier,
} from '../../shared/approval/index.ts';
import { DynamoDbAuditStore, type S3AuditArchive } from '../../shared/audit/index.ts';
import { requireEnv } from '../../shared/aws/index.ts';
import { DynamoDbBreakerStore } from '../../shared/breaker/index.ts';
import { DynamoDbBucketStore } from '../../shared/rate-limit/index.ts';
import { DynamoDbRunStore } from '../../shared/runs/index.ts';
import { guardTableSpecs, orchestrationTableSpecs } from '../../shared/tables/index.ts';
import { dynamoDb } from '../commons/clients/dynamodb.ts';
import { loadSlackConfig } from '../commons/slack-config.ts';
import { loopMetricsFromEnv } from '../commons/loop-metrics.ts';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { ToolRegistry } from '../../shared/tool/index.ts';
import { apiGatewayHandler } from './api-gateway-handler.ts';
import { DynamoDbMcpLabelStore } from './mcp/mcp-label-store.ts';
import { handleApiRequest } from './router.ts';
import { DECISION_SETTLE_MS, deliverStoredDecisions, isDeliverySweep, type DeliverySweepEvent } from './decision-delivery.ts';
import type { ApiDeps } from './routes.ts';
import * as FunctionEnv from '../commons/env/function-env.ts';
import { budgetSettings, escalationGroupOf, escalationOf, spendSettings } from '../commons/env/deployment-settings.ts';

/** MCP's OAuth flow, where the deployment sets it up (an issuer): the metadata names the user pool. */
const mcpAuthorizationOf = (issuer: string | undefined) =>
  issuer ? { mcpAuthorization: { issuer, scopes: FunctionEnv.MCP_OAUTH_SCOPES.read().split(' ') } } : {};

/**
 * The deployed API for a deployment's tools: configuration read once at cold start (a missing
 * variable fails it with its name). Its Lambda entry is generated per deployment by GuardedAgent,
 * with the registry of the tools in its props.
 */
export const createApiHandler = async (registry: ToolRegistry, options: { readonly auditArchive?: S3AuditArchive } = {}) => {
  const stateMachineArn = FunctionEnv.STATE_MACHINE_ARN.read();
  const guardTable = requireEnv(guardTableSpecs.guard.envVar);
  const sfn = new SFNClient({});
  const logger = new Logger({ serviceName: 'guarded-agents-api' });

  const slack = await loadSlackConfig();
  const notifier = slack ? new SlackNotifier({ botToken: slack.botToken, channel: slack.channel }) : undefined;

  const metrics = loopMetricsFromEnv();

  const deps: ApiDeps = {
    runs: new DynamoDbRunStore({ client: dynamoDb, tableName: requireEnv(orchestrationTableSpecs.runs.envVar) }),
    audit: new DynamoDbAuditStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.audit.envVar) }),
    ...budgetSettings(process.env),
    ...spendSettings(process.env, dynamoDb, guardTable),
    // The audit archive, when the deployment has one (the generated entry passes it).
    ...(options.auditArchive ? { auditArchive: options.auditArchive } : {}),
    approvals: new DynamoDbApprovalStore({
      client: dynamoDb,
      tableName: requireEnv(guardTableSpecs.approvals.envVar),
      ...escalationGroupOf(process.env),
    }),
    decisions: new DynamoDbDecisionOutbox({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
    ...escalationOf(process.env),
    // MCP's OAuth flow, where the deployment sets it up: the metadata names the user pool.
    ...mcpAuthorizationOf(FunctionEnv.MCP_OAUTH_ISSUER.read()),
    runBuckets: new DynamoDbBucketStore({ client: dynamoDb, tableName: guardTable }),
    mcpLabels: new DynamoDbMcpLabelStore({ client: dynamoDb, tableName: guardTable }),
    registry,
    startExecution: async (runId) =>
      void (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify({ runId }) }))),
    sendTaskSuccess: async (taskToken, output) =>
      void (await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    openBreakers: (tools) => new DynamoDbBreakerStore({ client: dynamoDb, tableName: guardTable }).openAmong(tools),
    allowScriptedModel: FunctionEnv.ALLOW_SCRIPTED_MODEL.read(),
    newRunId: () => `run-${randomUUID()}`,
    // A Slack decider is resolved to their Cognito identity and current groups at decision time.
    ...(slack
      ? {
          slack: {
            signingSecret: slack.signingSecret,
            resolveDecider: slackCognitoResolver({
              botToken: slack.botToken,
              userPoolId: FunctionEnv.USER_POOL_ID.read(),
              cognito: new CognitoIdentityProviderClient({}),
            }),
          },
        }
      : {}),
    onDecided: async (record, outcome) => {
      metrics.approvalDecided(record.status === 'APPROVED' ? 'approve' : 'deny');
      if (notifier && record.slackMessage) await notifier.postOutcome(record.slackMessage, record, outcome);
    },
  };

  // The router shows 4xx and hides 5xx.
  const http = apiGatewayHandler(logger, (request, onUnexpected) => handleApiRequest(request, deps, onUnexpected));
  // The EventBridge rule's `{ "deliverDecisions": true }`, every minute: decisions the API stored but could not deliver.
  const sweep = async () => {
    const result = await deliverStoredDecisions(deps, { settleMs: DECISION_SETTLE_MS, graceMs: APPROVAL_TASK_GRACE_SECONDS * 1000 });
    if (result.delivered.length + result.failed.length > 0) logger.warn('Decisions delivered by the sweep', { ...result });
    return result;
  };
  return async (event: Parameters<typeof http>[0] | DeliverySweepEvent, context: Parameters<typeof http>[1]) =>
    isDeliverySweep(event) ? sweep() : http(event, context);
};
