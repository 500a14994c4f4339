import type { Stack } from 'aws-cdk-lib';
import type { CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { GuardedAgent } from '../../guarded-agent/guarded-agent.ts';
import type { PolicyStatement } from './policy-evaluator.ts';
import { OrchestrationFunction } from '../../guarded-agent/orchestration-functions.ts';

/** The account, region and partition the local system pretends to be in. */
export const LOCAL_ACCOUNT = { account: '000000000000', region: 'us-east-1', partition: 'aws' } as const;
export const localTableArn = (tableName: string) => `arn:aws:dynamodb:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.account}:table/${tableName}`;
/** The agent loop's state machine, locally (the API starts its executions and answers its tasks). */
export const LOCAL_STATE_MACHINE_ARN = `arn:aws:states:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.account}:stateMachine:local-AgentLoop`;
/** A function's ARN locally: functions are named as the local system names them (a tool by its name). */
export const localFunctionArn = (functionName: string) =>
  `arn:aws:lambda:${LOCAL_ACCOUNT.region}:${LOCAL_ACCOUNT.account}:function:${functionName}`;
export const LOCAL_DOCUMENTS_BUCKET = 'local-documents';
/** The audit archive's bucket on the embedded S3, when the app has one. */
export const LOCAL_AUDIT_ARCHIVE_BUCKET = 'local-audit-archive';

export type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** What a logical id stands for locally: its `Ref` and its `Arn`. */
export type LocalResources = ReadonlyMap<string, { readonly ref: string; readonly arn: string }>;

/**
 * Resolves the intrinsic functions CDK writes into policies (Ref, Fn::GetAtt Arn, Fn::Join,
 * Fn::Select, Fn::Split) against the local resources. A reference to something the local system
 * does not have stays an `unresolved:` string, which no request matches: it fails closed.
 */
export const resolveIntrinsics = (value: unknown, resources: LocalResources): unknown => {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(v, resources));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.Ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': LOCAL_ACCOUNT.partition,
      'AWS::Region': LOCAL_ACCOUNT.region,
      'AWS::AccountId': LOCAL_ACCOUNT.account,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[o.Ref] ?? resources.get(o.Ref)?.ref ?? `unresolved:${o.Ref}`;
  }
  const getAtt = o['Fn::GetAtt'];
  if (Array.isArray(getAtt))
    return getAtt[1] === 'Arn'
      ? (resources.get(String(getAtt[0]))?.arn ?? `unresolved:${String(getAtt[0])}.Arn`)
      : `unresolved:${getAtt.join('.')}`;
  const join = o['Fn::Join'];
  if (Array.isArray(join)) return (resolveIntrinsics(join[1], resources) as unknown[]).map(String).join(String(join[0]));
  const split = o['Fn::Split'];
  if (Array.isArray(split)) return String(resolveIntrinsics(split[1], resources)).split(String(split[0]));
  const select = o['Fn::Select'];
  if (Array.isArray(select)) return (resolveIntrinsics(select[1], resources) as unknown[])[Number(select[0])];
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveIntrinsics(v, resources)]));
};

/**
 * Each function's identity policy as CDK synthesized it, resolved to local names: the statements
 * of every AWS::IAM::Policy attached to the function's role. Keys are tool names, and
 * `CallModel`, `RequestApproval` and `Api` for the loop's and the front door's functions.
 */
/** What each logical id of the agent's stack stands for locally: tables by their local names, the documents bucket. */
export const localResources = (
  stack: Stack,
  agent: GuardedAgent,
  tableNames: Readonly<Record<string, string>>,
): Map<string, { ref: string; arn: string }> => {
  const logicalId = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as CfnTable);
  const resources = new Map<string, { ref: string; arn: string }>();
  const table = (spec: string, t: ITable) => {
    const name = tableNames[spec];
    if (name) resources.set(logicalId(t), { ref: name, arn: localTableArn(name) });
  };
  table('GuardState', agent.guardTables.guard);
  table('Idempotency', agent.guardTables.idempotency);
  table('Audit', agent.guardTables.audit);
  table('Approvals', agent.guardTables.approvals);
  table('Runs', agent.runs);
  for (const [spec, t] of agent.dataTables) table(spec, t);
  if (agent.documents)
    resources.set(stack.getLogicalId(agent.documents.node.defaultChild as CfnBucket), {
      ref: LOCAL_DOCUMENTS_BUCKET,
      arn: `arn:aws:s3:::${LOCAL_DOCUMENTS_BUCKET}`,
    });
  resources.set(stack.getLogicalId(agent.loop.stateMachine.node.defaultChild as CfnStateMachine), {
    ref: LOCAL_STATE_MACHINE_ARN,
    arn: LOCAL_STATE_MACHINE_ARN,
  });
  // The tools' functions, which the MCP function invokes by ARN.
  for (const [name, tool] of agent.toolFunctions)
    resources.set(stack.getLogicalId(tool.function.node.defaultChild as CfnFunction), { ref: name, arn: localFunctionArn(name) });
  if (agent.auditArchive)
    resources.set(stack.getLogicalId(agent.auditArchive.node.defaultChild as CfnBucket), {
      ref: LOCAL_AUDIT_ARCHIVE_BUCKET,
      arn: `arn:aws:s3:::${LOCAL_AUDIT_ARCHIVE_BUCKET}`,
    });
  return resources;
};

/** The agent's functions by the names the local system gives them: tool names, CallModel, RequestApproval, Api, Mcp. */
export const agentFunctions = (agent: GuardedAgent): Array<[string, IFunction]> => [
  ...[...agent.toolFunctions].map(([name, tf]) => [name, tf.function] as [string, IFunction]),
  [OrchestrationFunction.CALL_MODEL, agent.orchestrationFunctions.callModel],
  [OrchestrationFunction.REQUEST_APPROVAL, agent.orchestrationFunctions.requestApproval],
  [OrchestrationFunction.API, agent.orchestrationFunctions.api],
  [OrchestrationFunction.MCP, agent.orchestrationFunctions.mcp],
];

export const functionPolicies = (
  template: Template,
  stack: Stack,
  agent: GuardedAgent,
  tableNames: Readonly<Record<string, string>>,
): Map<string, PolicyStatement[]> => {
  const resources = localResources(stack, agent, tableNames);

  const policies = new Map<string, PolicyStatement[]>();
  for (const [name, fn] of agentFunctions(agent)) {
    const role = (
      template.Resources[stack.getLogicalId(fn.node.defaultChild as CfnFunction)]?.Properties?.Role as
        { 'Fn::GetAtt'?: [string, string] } | undefined
    )?.['Fn::GetAtt']?.[0];
    const statements = Object.values(template.Resources)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          ((r.Properties?.Roles as Array<{ Ref?: string }> | undefined) ?? []).some((ref) => ref.Ref === role),
      )
      .flatMap((r) => (r.Properties?.PolicyDocument as { Statement: unknown[] }).Statement)
      .map((st) => resolveIntrinsics(st, resources) as PolicyStatement);
    policies.set(name, statements);
  }
  return policies;
};

/**
 * Each function's environment variables as CDK synthesized them, resolved to the local resources:
 * what the function reads its configuration from, deployed and locally alike.
 */
export const functionEnvironments = (
  template: Template,
  stack: Stack,
  agent: GuardedAgent,
  tableNames: Readonly<Record<string, string>>,
): Map<string, Record<string, string>> => {
  const resources = localResources(stack, agent, tableNames);
  return new Map(
    agentFunctions(agent).map(([name, fn]) => {
      const variables =
        (
          template.Resources[stack.getLogicalId(fn.node.defaultChild as CfnFunction)]?.Properties?.Environment as
            { Variables?: Record<string, unknown> } | undefined
        )?.Variables ?? {};
      return [name, resolveIntrinsics(variables, resources) as Record<string, string>];
    }),
  );
};
