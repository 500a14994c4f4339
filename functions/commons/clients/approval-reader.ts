import { DynamoDbApprovalReader } from '../../../shared/approval/index.ts';
import { requireEnv } from '../../../shared/aws/index.ts';
import { guardTableSpecs } from '../../../shared/tables/index.ts';
import { dynamoDb } from './dynamodb.ts';

/** The approvals a destructive tool checks, on the container's client (a module of its own: other tools' bundles leave it out). */
export const approvalReaderFromEnv = () =>
  new DynamoDbApprovalReader({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) });
