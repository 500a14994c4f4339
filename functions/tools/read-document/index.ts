import { S3Client } from '@aws-sdk/client-s3';
import { requireEnv } from '#shared/aws/env.ts';
import { createGuardedHandler } from '#shared/pipeline/guarded-handler.ts';
import { dynamoDb, guardTablesFromEnv } from '../../commons/lambda-env.ts';
import { readDocument } from './tool.ts';
import { createDeps } from './deps.ts';

export const handler = createGuardedHandler({
  tool: readDocument,
  deps: createDeps(requireEnv, { s3: new S3Client({}) }),
  client: dynamoDb,
  tables: guardTablesFromEnv(),
});
