import { requireEnv } from '../../../shared/aws/env.ts';
import { DynamoDbApprovalStore } from '../../../shared/approval/dynamodb-approval-store.ts';
import { DynamoDbAuditStore } from '../../../shared/audit/dynamodb-audit-store.ts';
import { SlackNotifier } from '../../../shared/approval/slack-notifier.ts';
import { DynamoDbBreakerStore } from '../../../shared/breaker/dynamodb-breaker-store.ts';
import { loadSlackConfig } from '../../commons/slack-config.ts';
import { ScriptedModel } from '../../../shared/model/scripted-model.ts';
import { DynamoDbRunStore } from '../../../shared/runs/dynamodb-run-store.ts';
import { guardTableSpecs, orchestrationTableSpecs } from '../../../shared/tables/table-spec.ts';
import type { ToolRegistry } from '../../../shared/tool/tool-registry.ts';
import { dynamoDb } from '../../commons/lambda-env.ts';
import { modelFromEnv } from '../../commons/model-from-env.ts';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loopMetrics } from '../../commons/loop-metrics.ts';
import { SYSTEM_PROMPT } from './system-prompt.ts';
import { storedCall } from './stored-call.ts';
import { DynamoDbIdempotencyStore } from '../../../shared/idempotency/dynamodb-idempotency-store.ts';
import { createCallModel } from './call-model.ts';
import { FunctionEnv } from '../../commons/function-env.ts';

/**
 * The deployed CallModel for a deployment's tools: configuration read once at cold start (a missing
 * variable fails it with its name). Its Lambda entry is generated per deployment by GuardedAgent,
 * with the registry of the tools in its props.
 */
export const createCallModelHandler = async (registry: ToolRegistry) => {
  const functionNames = JSON.parse(requireEnv(FunctionEnv.TOOL_FUNCTIONS)) as Record<string, string>;
  const allowScriptedModel = process.env[FunctionEnv.ALLOW_SCRIPTED_MODEL] === 'true';
  const model = await modelFromEnv();
  const approvals = new DynamoDbApprovalStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) });
  const slack = await loadSlackConfig();
  const notifier = slack ? new SlackNotifier({ botToken: slack.botToken, channel: slack.channel }) : undefined;
  const breakers = new DynamoDbBreakerStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.guard.envVar) });

  return createCallModel({
    runs: new DynamoDbRunStore({ client: dynamoDb, tableName: requireEnv(orchestrationTableSpecs.runs.envVar) }),
    registry,
    storedCallOf: storedCall(new DynamoDbIdempotencyStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.idempotency.envVar) })),
    // A script in a run record is honoured only where the stack allows it (off by default).
    modelFor: (run) => (run.script && allowScriptedModel ? new ScriptedModel(run.script) : model),
    openBreakers: (tools) => breakers.openAmong(tools, Date.now()),
    functionNameOf: (tool) => {
      const name = functionNames[tool];
      if (!name) throw new Error(`No function is deployed for tool ${tool}`);
      return name;
    },
    systemPrompt: SYSTEM_PROMPT,
    onApprovalExpired: async (approvalId, tool) => {
      if (!(await approvals.expire(approvalId))) return;
      const record = await approvals.get(approvalId);
      if (notifier && record?.slackMessage)
        await notifier.postOutcome(record.slackMessage, { tool, runId: record.runId }, 'expired: nobody decided in time');
    },
    audit: new DynamoDbAuditStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.audit.envVar) }),
    events: loopMetrics(
      new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'GuardedAgents', serviceName: 'guarded-agents' }),
    ),
  });
};
