import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDbApprovalStore, SlackNotifier } from '../../../shared/approval/index.ts';
import { DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import { spendSettings } from '../../commons/env/deployment-settings.ts';
import { requireEnv } from '../../../shared/aws/index.ts';
import { DynamoDbBreakerStore } from '../../../shared/breaker/index.ts';
import { guardTableSpecs } from '../../../shared/tables/index.ts';
import type { ToolRegistry } from '../../../shared/tool/index.ts';
import type { CompiledPolicySet } from '../../../shared/policies/index.ts';
import { failureOf, GuardUnavailableError, type ToolResult } from '../../../shared/tool-result/index.ts';
import * as FunctionEnv from '../../commons/env/function-env.ts';
import { loadSlackConfig } from '../../commons/slack-config.ts';
import { dynamoDb } from '../../commons/clients/dynamodb.ts';
import { apiGatewayHandler } from '../api-gateway-handler.ts';
import { handleMcpRequest } from './mcp-endpoint.ts';
import type { McpToolDeps } from './mcp-tools.ts';
import { mcpLabelsFrom } from './mcp-label-store.ts';

/**
 * The deployed `/mcp`, a function of its own (the MCP SDK stays out of the API's bundle), behind
 * the same Cognito authorizer: configuration read once at cold start. Its Lambda entry is generated
 * per deployment by GuardedAgent, with the registry of the tools in its props.
 */
export const createMcpHandler = async (registry: ToolRegistry, options: { readonly policies?: CompiledPolicySet } = {}) => {
  // The policies come compiled from the generated entry, which imports the compiler only where the deployment has policies.
  const { policies } = options;
  const logger = new Logger({ serviceName: 'guarded-agents-mcp' });
  const lambda = new LambdaClient({});
  const toolFunctions = FunctionEnv.TOOL_FUNCTIONS.read();
  const breakers = new DynamoDbBreakerStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.guard.envVar) });
  // With Slack on, a call asked for over MCP is posted to the approvers' channel as the loop's are.
  const slack = await loadSlackConfig();
  const deps: McpToolDeps = {
    ...(slack
      ? {
          notifier: new SlackNotifier({ botToken: slack.botToken, channel: slack.channel }),
          onNotifyError: (error: unknown) =>
            logger.warn('Slack could not be told of an approval asked for over MCP', {
              errorName: error instanceof Error ? error.name : 'Error',
            }),
        }
      : {}),
    registry,
    openBreakers: (tools) => breakers.openAmong(tools),
    approvals: new DynamoDbApprovalStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
    audit: new DynamoDbAuditStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.audit.envVar) }),
    informationFlow: FunctionEnv.INFORMATION_FLOW.read(),
    ...(policies ? { policies } : {}),
    labels: mcpLabelsFrom(process.env, dynamoDb, requireEnv(guardTableSpecs.guard.envVar)),
    ...spendSettings(process.env, dynamoDb, requireEnv(guardTableSpecs.guard.envVar)),
    approvalSeconds: FunctionEnv.APPROVAL_TIMEOUT_SECONDS.read(),
    invokeTool: async (tool, invocation) => {
      const functionName = toolFunctions[tool];
      if (!functionName) throw new Error(`No function is deployed for tool ${tool}`);
      const out = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(invocation) }));
      // A function that crashed may or may not have done its work: retryable (the call is idempotent).
      if (out.FunctionError) return { ok: false, error: failureOf(new GuardUnavailableError('The tool did not answer; try again.')) };
      return JSON.parse(new TextDecoder().decode(out.Payload)) as ToolResult;
    },
  };
  return apiGatewayHandler(logger, (request, onUnexpected) => handleMcpRequest(request, deps, onUnexpected));
};
