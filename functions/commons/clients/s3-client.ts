import { S3Client } from '@aws-sdk/client-s3';

/** The S3 client of a tool with a `documents` resource (a module of its own: other tools' bundles leave S3 out). */
export const newS3Client = () => new S3Client({});
