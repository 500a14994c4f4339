import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { documentKey } from './s3-document-store.ts';

/**
 * Puts a Markdown document where the document tools look (seeds, the local system, tests). A module
 * of its own: no tool writes documents, so no tool bundle carries PutObject.
 */
export const putDocument = async (s3: S3Client, bucket: string, path: string, text: string): Promise<void> =>
  void (await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: documentKey(path), Body: text, ContentType: 'text/markdown; charset=utf-8' }),
  ));
