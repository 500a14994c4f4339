import { randomUUID } from 'node:crypto';
import type { CompiledPolicySet } from '../../../shared/policies/index.ts';
import { DynamoDbApprovalStore, DynamoDbDecisionOutbox } from '../../../shared/approval/index.ts';
import { DynamoDbAuditStore } from '../../../shared/audit/index.ts';
import { DynamoDbBreakerStore } from '../../../shared/breaker/index.ts';
import { DynamoDbBucketStore } from '../../../shared/rate-limit/index.ts';
import { DynamoDbRunStore } from '../../../shared/runs/index.ts';
import type { ToolRegistry } from '../../../shared/tool/index.ts';
import type { ToolResult } from '../../../shared/tool-result/index.ts';
import { DynamoDbMcpLabelStore, mcpLabelsFrom } from '../../../functions/api/mcp/mcp-label-store.ts';
import type { ApiDeps } from '../../../functions/api/routes.ts';
import { budgetSettings, escalationGroupOf, escalationOf, spendSettings } from '../../../functions/commons/env/deployment-settings.ts';
import * as FunctionEnv from '../../../functions/commons/env/function-env.ts';
import { OrchestrationFunction } from '../../guarded-agent/orchestration-functions.ts';
import { LOCAL_STATE_MACHINE_ARN, localFunctionArn } from '../iam/function-policies.ts';
import type { SynthesizedLocalApp } from '../local-app.ts';
import type { startLocalTracing } from '../local-tracing.ts';
import { loopPath } from '../loop-path.ts';
import type { LocalTables } from './data-services.ts';
import type { LocalStateMachine } from './executions.ts';
import type { FunctionRoles } from './function-roles.ts';
import type { LocalSystemOptions } from './options.ts';
import { TOKEN_PREFIX, type Orchestration } from './orchestration.ts';
import type { ToolFunctions } from './tool-functions.ts';

/** What the front door is built on: the steps before it. */
export interface FrontDoorParts {
  readonly roles: FunctionRoles;
  readonly stores: Pick<LocalTables, 'tables' | 'runsTable'>;
  readonly registry: ToolRegistry;
  readonly synthesized: Pick<SynthesizedLocalApp, 'definition'>;
  readonly orchestration: Pick<Orchestration, 'answerTask' | 'approvalTimeoutMs'>;
  readonly machine: Pick<LocalStateMachine, 'startExecution' | 'settledExecution'>;
  readonly toolFunctions: Pick<ToolFunctions, 'invokeTool'>;
  readonly tracing: ReturnType<typeof startLocalTracing>;
  /** The app's policies, where `--policies` names them. */
  readonly policies?: CompiledPolicySet | undefined;
}

/**
 * Step 6: the front door. The API's dependencies as its Lambda builds them, on its role: Step
 * Functions runs in this process, so starting an execution or answering a task asks the API's role
 * as Step Functions would; MCP's on its own role, invoking a tool's function as the loop does.
 */
export const frontDoor = (parts: FrontDoorParts, options: Pick<LocalSystemOptions, 'runLimit' | 'slackSigningSecret' | 'users'>) => {
  const { roles, registry, machine } = parts;
  const { tables, runsTable } = parts.stores;
  const apiClient = roles.clientOf(OrchestrationFunction.API);
  const apiEnv = roles.envOf(OrchestrationFunction.API);
  const apiArchive = roles.archiveOf(OrchestrationFunction.API);
  const runs = new DynamoDbRunStore({ client: apiClient, tableName: runsTable });
  const approvals = new DynamoDbApprovalStore({ client: apiClient, tableName: tables.approvals, ...escalationGroupOf(apiEnv) });
  const breakers = new DynamoDbBreakerStore({ client: apiClient, tableName: tables.guard });
  const deps: ApiDeps = {
    runs,
    audit: new DynamoDbAuditStore({ client: apiClient, tableName: tables.audit }),
    ...(apiArchive ? { auditArchive: apiArchive } : {}),
    ...budgetSettings(apiEnv),
    ...spendSettings(apiEnv, apiClient, tables.guard),
    ...escalationOf(apiEnv),
    approvals,
    decisions: new DynamoDbDecisionOutbox({ client: apiClient, tableName: tables.approvals }),
    runBuckets: new DynamoDbBucketStore({ client: apiClient, tableName: tables.guard }),
    mcpLabels: new DynamoDbMcpLabelStore({ client: apiClient, tableName: tables.guard }),
    registry,
    startExecution: async (runId) => {
      roles.iam.check(OrchestrationFunction.API, 'states:StartExecution', LOCAL_STATE_MACHINE_ARN);
      await machine.startExecution(runId);
    },
    sendTaskSuccess: async (taskToken, output) => {
      // No resource-level permission: IAM asks for it on "*", as AWS does.
      roles.iam.check(OrchestrationFunction.API, 'states:SendTaskSuccess', '*');
      if (taskToken.startsWith(TOKEN_PREFIX)) parts.orchestration.answerTask(taskToken.slice(TOKEN_PREFIX.length), output);
    },
    openBreakers: (names) => breakers.openAmong(names),
    allowScriptedModel: true,
    ...(options.runLimit ? { runLimit: options.runLimit } : {}),
    slack: {
      signingSecret: options.slackSigningSecret ?? process.env.LOCAL_SLACK_SIGNING_SECRET ?? 'local-slack-signing-secret',
      // Locally a Slack user is a local user: Slack id `U` + their upper-case user id (Cognito's stand-in).
      resolveDecider: async (slackUserId) => {
        const user = (options.users ?? []).find((u) => `U${u.userId.toUpperCase().replaceAll(/[^A-Z0-9]/g, '')}` === slackUserId);
        return user ? { userId: user.userId, groups: user.groups } : undefined;
      },
    },
    stateTransitions: async (runId, ended) => (await machine.settledExecution(runId, ended))?.states.length,
    loopPath: async (runId, ended) => loopPath(parts.synthesized.definition, (await machine.settledExecution(runId, ended))?.states ?? []),
    newRunId: () => `run-${randomUUID()}`,
    traces: parts.tracing.spansOfRun,
    mcp: mcpOf(parts),
  };
  return { deps, runs, approvals, breakers };
};

/** MCP's function: its stores on its own role; tools/call invokes a tool's function as the loop does (here in process, by tool name). */
const mcpOf = ({ roles, registry, stores, orchestration, toolFunctions, policies }: FrontDoorParts): NonNullable<ApiDeps['mcp']> => {
  const mcpClient = roles.clientOf(OrchestrationFunction.MCP);
  const mcpEnv = roles.envOf(OrchestrationFunction.MCP);
  const { tables } = stores;
  const breakers = new DynamoDbBreakerStore({ client: mcpClient, tableName: tables.guard });
  return {
    // The MCP SDK is loaded on the first /mcp request, not at start-up (it adds about a second to it).
    handle: async (request) =>
      (await import('../../../functions/api/mcp/mcp-endpoint.ts')).handleMcp(request, {
        registry,
        openBreakers: (names) => breakers.openAmong(names),
        approvals: new DynamoDbApprovalStore({ client: mcpClient, tableName: tables.approvals }),
        audit: new DynamoDbAuditStore({ client: mcpClient, tableName: tables.audit }),
        informationFlow: FunctionEnv.INFORMATION_FLOW.read(mcpEnv),
        ...(policies ? { policies } : {}),
        labels: mcpLabelsFrom(mcpEnv, mcpClient, tables.guard),
        ...spendSettings(mcpEnv, mcpClient, tables.guard),
        invokeTool: async (tool, invocation) => {
          // As Lambda's Invoke asks IAM on AWS: the MCP function's role must name the tool's function.
          roles.iam.check(OrchestrationFunction.MCP, 'lambda:InvokeFunction', localFunctionArn(tool));
          return (await toolFunctions.invokeTool({ FunctionName: tool, Payload: invocation })).Payload as ToolResult;
        },
        approvalSeconds: Math.max(1, Math.ceil(orchestration.approvalTimeoutMs / 1000)),
      }),
  };
};
