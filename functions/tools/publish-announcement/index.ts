import { requireEnv } from '#shared/aws/env.ts';
import { DynamoDbApprovalReader } from '#shared/approval/dynamodb-approval-reader.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { guardTableSpecs } from '#shared/tables/table-spec.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { publishAnnouncement } from './tool.ts';
import { createDeps } from './deps.ts';

export const handler = createGuardedHandler({
  tool: publishAnnouncement,
  deps: createDeps(requireEnv, { dynamoDb }),
  client: dynamoDb,
  tables: guardTablesFromEnv(),
  approvals: new DynamoDbApprovalReader({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
});
