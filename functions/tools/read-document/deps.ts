import { S3DocumentStore } from '../../commons/document-store/s3-document-store.ts';
import { ResourceEnv, type CreateDeps } from '../../commons/tool-deps.ts';

export const createDeps: CreateDeps<{ documents: S3DocumentStore }, 's3'> = (env, { s3 }) => ({
  documents: new S3DocumentStore(s3, env(ResourceEnv.DOCUMENTS_BUCKET)),
});
