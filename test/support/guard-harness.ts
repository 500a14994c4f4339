import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ApprovalStatus, DynamoDbApprovalReader } from '#shared/approval/index.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import type { Context } from 'aws-lambda';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { createGuardedHandler, type GuardedHandler, type GuardTables, type PipelinePolicies } from '#shared/pipeline/index.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import type { AnyTool } from '#shared/tool/index.ts';
import type { ToolResult } from '#shared/tool-result/index.ts';
import { lambdaContext } from './lambda-context.ts';
import { uniquePrefix } from './embedded-dynamodb.ts';
import type { FlowMode } from '#shared/guards/index.ts';

/** Creates the guard tables under a fresh prefix. */
export const createGuardTables = async (client: DynamoDBClient): Promise<GuardTables & { approvals: string }> => {
  const names = await createEmbeddedTables(client, Object.values(guardTableSpecs), uniquePrefix('g'));
  return {
    guard: names[guardTableSpecs.guard.id] as string,
    idempotency: names[guardTableSpecs.idempotency.id] as string,
    audit: names[guardTableSpecs.audit.id] as string,
    approvals: names[guardTableSpecs.approvals.id] as string,
  };
};

export interface CallOptions {
  readonly runId?: string;
  readonly callId?: string;
  readonly userId?: string;
  readonly groups?: readonly string[];
  readonly approvalId?: string;
  /** The run's information-flow label, as the loop sets it. */
  readonly untrusted?: { readonly tool: string; readonly callId: string };
  /** Which voucher vouched for each sink argument, as the loop found them. */
  readonly vouchedBy?: Readonly<Record<string, string>>;
  readonly tool?: string;
  readonly context?: Context;
}

let calls = 0;
export const nextCallId = (): string => `call-${process.pid}-${++calls}`;

/** Builds the envelope the orchestration sends a tool Lambda. */
export const invocation = (tool: AnyTool, args: unknown, options: CallOptions = {}) => ({
  runId: options.runId ?? 'run-1',
  callId: options.callId ?? nextCallId(),
  tool: options.tool ?? tool.name,
  caller: { userId: options.userId ?? 'alice', groups: [...(options.groups ?? ['admin'])] },
  arguments: args,
  ...(options.approvalId ? { approvalId: options.approvalId } : {}),
  ...(options.untrusted ? { untrusted: options.untrusted } : {}),
  ...(options.vouchedBy ? { vouchedBy: options.vouchedBy } : {}),
});

export interface Guarded {
  readonly handler: GuardedHandler;
  call(args: unknown, options?: CallOptions): Promise<ToolResult>;
}

/** A tool wrapped in the real pipeline, on the given client and tables. */
export const guard = <Deps>(
  tool: AnyTool,
  deps: Deps,
  client: DynamoDBClient,
  tables: GuardTables & { approvals?: string },
  extra: { now?: () => number; logger?: Logger; metrics?: Metrics; informationFlow?: FlowMode; policies?: PipelinePolicies } = {},
): Guarded => {
  const approvalsTable = (tables as { approvals?: string }).approvals;
  const handler = createGuardedHandler({
    tool,
    deps,
    client,
    tables,
    ...(approvalsTable ? { approvals: new DynamoDbApprovalReader({ client, tableName: approvalsTable }) } : {}),
    ...extra,
  });
  return {
    handler,
    call: (args, options = {}) => handler(invocation(tool, args, options), options.context ?? lambdaContext()),
  };
};

export interface DecidedCall {
  readonly runId: string;
  readonly callId: string;
  readonly tool: string;
  readonly args: unknown;
  readonly requestedBy: string;
  readonly decidedBy: string;
  readonly deciderGroups?: string[];
  readonly status?: string;
  /** With a quorum: the approvers who said yes. */
  readonly approvers?: string[];
}

let approvals = 0;

/** Records a decided approval for one exact call, as the approval flow does. @returns its id */
export const putDecidedApproval = async (client: DynamoDBClient, tableName: string, call: DecidedCall): Promise<string> => {
  const approvalId = `appr-${process.pid}-${++approvals}`;
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        approvalId: { S: approvalId },
        status: { S: call.status ?? ApprovalStatus.APPROVED },
        runId: { S: call.runId },
        callId: { S: call.callId },
        tool: { S: call.tool },
        argsHash: { S: hashCanonical(call.args) },
        requestedBy: { S: call.requestedBy },
        decidedBy: { S: call.decidedBy },
        deciderGroups: { SS: call.deciderGroups ?? ['approver'] },
        // A quorum's votes as the store records them: each voter with their groups, recounted by the tool.
        ...(call.approvers
          ? {
              approvers: { SS: call.approvers },
              votes: {
                L: call.approvers.map((userId) => ({
                  M: { userId: { S: userId }, groups: { L: [{ S: 'approver' }] }, at: { N: '0' } },
                })),
              },
            }
          : {}),
      },
    }),
  );
  return approvalId;
};

/** An approval for `uma`'s call decided by these approvers (one: `pat`; several: a quorum's votes). @returns its id */
export const approvedBy = (
  client: DynamoDBClient,
  tableName: string,
  call: { runId: string; callId: string; tool: string; args: unknown },
  approvers = ['pat'],
) =>
  putDecidedApproval(client, tableName, {
    ...call,
    requestedBy: 'uma',
    decidedBy: approvers.at(-1) as string,
    approvers,
  });
