import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { FlowMode, isFlowMode } from '../../shared/guards/index.ts';
import { assertToolsLint } from '../../shared/tool/index.ts';
import type { ApprovalEscalation } from '../../shared/approval/index.ts';
import * as FunctionEnv from '../../functions/commons/env/function-env.ts';
import { checkTracing } from './agent-tracing.ts';
import { budgetEnvironment } from './budget-settings.ts';
import { escalationSettings } from './escalation-settings.ts';
import type { GuardedAgentProps } from './guarded-agent-props.ts';
import { mcpServerSettings } from './mcp-servers.ts';
import { agentPolicies } from './agent-policies.ts';

/**
 * A `GuardedAgent`'s props with every default worked out once and every rule checked (a synth
 * error that says how to fix it): what the tables, the functions, the loop, the front door and the
 * dashboard are built from. Frozen: no part of the construct changes what another part reads.
 */
export const resolveAgentSettings = (props: GuardedAgentProps) => {
  if (props.tools.length === 0) throw new Error('GuardedAgent needs at least one tool in props.tools');
  assertToolsLint(props.tools);
  if (props.tracing) checkTracing(props.tracing);
  const mcpLabelSeconds = (props.mcpLabelLifetime ?? Duration.hours(24)).toSeconds();
  if (!Number.isInteger(mcpLabelSeconds) || mcpLabelSeconds < 1 || mcpLabelSeconds > 30 * 24 * 3600)
    throw new Error(`GuardedAgent mcpLabelLifetime must be whole seconds from 1 s to 30 days; got ${mcpLabelSeconds} s`);
  const approvalTimeout = props.approvalTimeout ?? Duration.hours(1);
  const budgetEnv = budgetEnvironment(props.runBudget, props.modelPrices, props.spendBudgets);
  const escalation: ApprovalEscalation | undefined = escalationSettings(props.approvalEscalation, approvalTimeout);
  const mcpServers = mcpServerSettings(props.tools, props.mcpServers);
  const informationFlow = props.informationFlow ?? FlowMode.APPROVE;
  if (!isFlowMode(informationFlow))
    throw new Error(`GuardedAgent informationFlow must be one of ${Object.values(FlowMode).join(', ')}; got "${String(informationFlow)}"`);
  return Object.freeze({
    /** The policy files (validated), where the deployment has any. */
    policies: props.policies === undefined ? undefined : agentPolicies(props.policies, props.tools),
    traced: props.tracing !== undefined,
    archived: props.auditArchive !== undefined,
    informationFlow,
    mcpLabelSeconds,
    approvalTimeout,
    budgetEnv,
    escalation,
    mcpServers,
    escalationEnv: (escalation ? { [FunctionEnv.APPROVAL_ESCALATION.name]: JSON.stringify(escalation) } : {}) as Readonly<
      Record<string, string>
    >,
    spendEnv: (budgetEnv.spendBudgets ? { [FunctionEnv.SPEND_BUDGETS.name]: budgetEnv.spendBudgets } : {}) as Readonly<
      Record<string, string>
    >,
    budgets: props.spendBudgets !== undefined,
    slack: props.slack !== undefined,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    logRetention: props.logRetention ?? RetentionDays.ONE_MONTH,
    guardHeadroom: props.guardHeadroom ?? Duration.seconds(3),
    metricsNamespace: props.metricsNamespace ?? 'GuardedAgents',
    modelId: props.bedrockModelId ?? 'amazon.nova-lite-v1:0',
    allowScriptedModel: String(props.allowScriptedModel ?? false),
  });
};

export type AgentSettings = ReturnType<typeof resolveAgentSettings>;
