import { DynamoDbApprovalStore } from '#shared/approval/dynamodb-approval-store.ts';
import { requireEnv } from '#shared/aws/env.ts';
import { guardTableSpecs } from '#shared/tables/table-spec.ts';
import { dynamoDb } from '../../commons/lambda-env.ts';
import { createRequestApproval } from './request-approval.ts';

export const handler = createRequestApproval({
  approvals: new DynamoDbApprovalStore({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
  timeoutSeconds: Number(requireEnv('APPROVAL_TIMEOUT_SECONDS')),
});
