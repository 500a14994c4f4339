import { requireEnv } from '#shared/aws/env.ts';
import { DynamoDbApprovalReader } from '#shared/approval/dynamodb-approval-reader.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { guardTableSpecs } from '#shared/tables/table-spec.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { AnnouncementStore } from './announcement-store.ts';
import { publishAnnouncement } from './tool.ts';

export const handler = createGuardedHandler({
  tool: publishAnnouncement,
  deps: { announcements: new AnnouncementStore(dynamoDb, requireEnv('ANNOUNCEMENTS_TABLE')) },
  client: dynamoDb,
  tables: guardTablesFromEnv(),
  approvals: new DynamoDbApprovalReader({ client: dynamoDb, tableName: requireEnv(guardTableSpecs.approvals.envVar) }),
});
