import { SlackNotifier } from '../../../shared/approval/index.ts';
import { loadSlackConfig } from '../../commons/slack-config.ts';
import { ScriptedModel } from '../../../shared/model/index.ts';
import type { ToolRegistry } from '../../../shared/tool/index.ts';
import { dynamoDb } from '../../commons/clients/dynamodb.ts';
import { modelFromEnv } from '../../commons/model-from-env.ts';
import { loopMetricsFromEnv } from '../../commons/loop-metrics.ts';
import { SYSTEM_PROMPT } from './system-prompt.ts';
import { createCallModel } from './call-model.ts';
import { callModelStores } from './stores.ts';
import type { S3AuditArchive } from '../../../shared/audit/index.ts';
import type { CompiledPolicySet } from '../../../shared/policies/index.ts';
import * as FunctionEnv from '../../commons/env/function-env.ts';
import { crossingOf, spendOf } from '../../commons/spend-log.ts';

/** One JSON line for CloudWatch Logs (Logs Insights reads its fields). */
const logLine = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: object) =>
  (level === 'ERROR' ? console.error : console.log)(JSON.stringify({ level, message, ...fields }));

/** What failed, for which run, and the error's name and message (AWS errors carry no secrets). */
const logFailure = (message: string, runId: string, error: unknown) =>
  logLine('ERROR', message, { runId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });

/**
 * The deployed CallModel for a deployment's tools: configuration read once at cold start (a missing
 * variable fails it with its name); the audit archive comes from the generated entry when the
 * deployment has one, so that S3 stays out of the bundle otherwise. Its Lambda entry is generated per deployment by GuardedAgent,
 * with the registry of the tools in its props.
 */
export const createCallModelHandler = async (
  registry: ToolRegistry,
  /** The policies come compiled from the generated entry, which imports the compiler only where the deployment has policies. */
  options: { readonly auditArchive?: S3AuditArchive; readonly policies?: CompiledPolicySet } = {},
) => {
  const { policies } = options;
  const functionNames = FunctionEnv.TOOL_FUNCTIONS.read();
  const allowScriptedModel = FunctionEnv.ALLOW_SCRIPTED_MODEL.read();
  const model = await modelFromEnv();
  const { approvals, ...stores } = callModelStores(process.env, dynamoDb, options.auditArchive);
  const slack = await loadSlackConfig();
  const notifier = slack ? new SlackNotifier({ botToken: slack.botToken, channel: slack.channel }) : undefined;

  const metrics = loopMetricsFromEnv();
  return createCallModel({
    ...stores,
    registry,
    // A script in a run record is honoured only where the stack allows it (off by default).
    modelFor: (run) => (run.script && allowScriptedModel ? new ScriptedModel(run.script) : model),
    functionNameOf: (tool) => {
      const name = functionNames[tool];
      if (!name) throw new Error(`No function is deployed for tool ${tool}`);
      return name;
    },
    systemPrompt: SYSTEM_PROMPT,
    informationFlow: FunctionEnv.INFORMATION_FLOW.read(),
    ...(policies ? { policies } : {}),
    onApprovalClosed: async (approvalId, tool, why) => {
      if (!(await approvals.expire(approvalId)) || !notifier) return;
      // Telling Slack is best effort: the approval is closed either way.
      const record = await approvals.get(approvalId).catch(() => undefined);
      if (record?.slackMessage)
        await notifier
          .postOutcome(
            record.slackMessage,
            { tool, runId: record.runId },
            why === 'expired'
              ? 'expired: nobody decided in time'
              : 'withdrawn: the run could not wait for a decision, so the call was not made',
          )
          .catch(() => undefined);
    },
    events: {
      ...metrics,
      sealFailed: (runId, error) => {
        metrics.sealFailed();
        logFailure('audit seal failed; the next step seals what it left', runId, error);
      },
      archiveFailed: (runId, error) => {
        metrics.archiveFailed();
        logFailure("a seal's anchor or a finished run's audit chain could not be archived", runId, error);
      },
      settleFailed: (runId, error) =>
        logFailure("a model call's spending could not be settled; its counters keep the estimate", runId, error),
      // One line per model call: the dashboard's spend by user and tenant reads them (Logs Insights).
      modelCalled: (run, usage) => logLine('INFO', 'model call', spendOf(run, usage, stores.prices)),
      spendCrossed: (crossing, run) => {
        metrics.spendAlarm();
        logLine('WARN', 'budget alarm share crossed', { runId: run.runId, ...crossingOf(crossing) });
      },
    },
  });
};
