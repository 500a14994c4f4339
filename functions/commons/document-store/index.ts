export type { DocumentStore } from './document-store.ts';
export { S3DocumentStore } from './s3-document-store.ts';
