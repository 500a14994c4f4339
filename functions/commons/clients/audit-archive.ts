import { S3AuditArchive } from '../../../shared/audit/index.ts';
import * as FunctionEnv from '../env/function-env.ts';
import { newS3Client } from './s3-client.ts';

/**
 * The audit archive's bucket, for CallModel (writes) and the API (reads), when the deployment has
 * one (a module of its own: without `auditArchive`, the generated entries leave S3 out of the bundles).
 */
export const auditArchiveFromEnv = () => new S3AuditArchive(newS3Client(), FunctionEnv.AUDIT_ARCHIVE_BUCKET.read());
