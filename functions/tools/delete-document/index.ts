import { S3Client } from '@aws-sdk/client-s3';
import { requireEnv } from '#shared/aws/env.ts';
import { DynamoDbApprovalReader } from '#shared/approval/dynamodb-approval-reader.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { guardTableSpecs } from '#shared/tables/table-spec.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { deleteDocument } from './tool.ts';
import { createDeps } from './deps.ts';

export const handler = createGuardedHandler({
  tool: deleteDocument,
  deps: createDeps(requireEnv, { s3: new S3Client({}) }),
  client: dynamoDb,
  tables: guardTablesFromEnv(),
  approvals: new DynamoDbApprovalReader({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
});
