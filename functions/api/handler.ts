import { SFNClient, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { Logger } from '@aws-lambda-powertools/logger';
import { randomUUID } from 'node:crypto';
import { DynamoDbApprovalStore, slackCognitoResolver, SlackNotifier } from '../../shared/approval/index.ts';
import { DynamoDbAuditStore, type S3AuditArchive } from '../../shared/audit/index.ts';
import { requireEnv } from '../../shared/aws/index.ts';
import { DynamoDbBreakerStore } from '../../shared/breaker/index.ts';
import { DynamoDbBucketStore } from '../../shared/rate-limit/index.ts';
import { DynamoDbRunStore } from '../../shared/runs/index.ts';
import { guardTableSpecs, orchestrationTableSpecs } from '../../shared/tables/index.ts';
import { dynamoDb } from '../commons/lambda-env.ts';
import { loadSlackConfig } from '../commons/slack-config.ts';
import { loopMetrics } from '../commons/loop-metrics.ts';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { ToolRegistry } from '../../shared/tool/index.ts';
import { apiGatewayHandler } from './api-gateway-handler.ts';
import { DynamoDbMcpLabelStore } from './mcp/mcp-label-store.ts';
import { handleApiRequest } from './router.ts';
import type { ApiDeps } from './routes.ts';
import { FunctionEnv } from '../commons/function-env.ts';
import { budgetSettings, spendSettings } from '../commons/budget-env.ts';
import { escalationGroupOf, escalationOf } from '../commons/approval-escalation-env.ts';

/**
 * The deployed API for a deployment's tools: configuration read once at cold start (a missing
 * variable fails it with its name). Its Lambda entry is generated per deployment by GuardedAgent,
 * with the registry of the tools in its props.
 */
export const createApiHandler = async (registry: ToolRegistry, options: { readonly auditArchive?: S3AuditArchive } = {}) => {
  const stateMachineArn = requireEnv(FunctionEnv.STATE_MACHINE_ARN);
  const guardTable = requireEnv(guardTableSpecs.guard.envVar);
  const sfn = new SFNClient({});
  const logger = new Logger({ serviceName: 'guarded-agents-api' });

  const slack = await loadSlackConfig();
  const notifier = slack ? new SlackNotifier({ botToken: slack.botToken, channel: slack.channel }) : undefined;

  const metrics = loopMetrics(
    new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'GuardedAgents', serviceName: 'guarded-agents' }),
  );

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
    ...escalationOf(process.env),
    // MCP's OAuth flow, where the deployment sets it up: the metadata names the user pool.
    ...(process.env[FunctionEnv.MCP_OAUTH_ISSUER]
      ? {
          mcpAuthorization: {
            issuer: requireEnv(FunctionEnv.MCP_OAUTH_ISSUER),
            scopes: requireEnv(FunctionEnv.MCP_OAUTH_SCOPES).split(' '),
          },
        }
      : {}),
    runBuckets: new DynamoDbBucketStore({ client: dynamoDb, tableName: guardTable }),
    mcpLabels: new DynamoDbMcpLabelStore({ client: dynamoDb, tableName: guardTable }),
    registry,
    startExecution: async (runId) =>
      void (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: runId, input: JSON.stringify({ runId }) }))),
    sendTaskSuccess: async (taskToken, output) =>
      void (await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    openBreakers: (tools) => new DynamoDbBreakerStore({ client: dynamoDb, tableName: guardTable }).openAmong(tools),
    allowScriptedModel: process.env[FunctionEnv.ALLOW_SCRIPTED_MODEL] === 'true',
    newRunId: () => `run-${randomUUID()}`,
    // A Slack decider is resolved to their Cognito identity and current groups at decision time.
    ...(slack
      ? {
          slack: {
            signingSecret: slack.signingSecret,
            resolveDecider: slackCognitoResolver({
              botToken: slack.botToken,
              userPoolId: requireEnv(FunctionEnv.USER_POOL_ID),
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
  return apiGatewayHandler(logger, (request, onUnexpected) => handleApiRequest(request, deps, onUnexpected));
};
