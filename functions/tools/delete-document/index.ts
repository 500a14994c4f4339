import { S3Client } from '@aws-sdk/client-s3';
import { requireEnv } from '#shared/aws/env.ts';
import { DynamoDbApprovalReader } from '#shared/approval/dynamodb-approval-reader.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { guardTableSpecs } from '#shared/tables/table-spec.ts';
import { S3DocumentStore } from '../../commons/document-store/s3-document-store.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { deleteDocument } from './tool.ts';

export const handler = createGuardedHandler({
  tool: deleteDocument,
  deps: { documents: new S3DocumentStore(new S3Client({}), requireEnv('DOCUMENTS_BUCKET')) },
  client: dynamoDb,
  tables: guardTablesFromEnv(),
  approvals: new DynamoDbApprovalReader({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
});
