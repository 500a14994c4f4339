import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { unsafePathReason } from '../../../shared/argument-types/index.ts';
import type { DocumentStore } from './document-store.ts';
import { isMissingObject } from '../../../shared/aws/index.ts';

/** Where documents live in the bucket: the document tools' grants name this prefix only. */
export const DOCUMENTS_PREFIX = 'documents/';

/** The S3 key of a document: `${prefix}${path}`, for a path that passed the safe-path checks only. */
export const documentKey = (path: string, prefix = DOCUMENTS_PREFIX): string => {
  if (unsafePathReason(path) !== undefined) throw new Error('unsafe document path reached the store');
  return `${prefix}${path}`;
};

/**
 * Documents in an S3 bucket (deployed): the key is `${prefix}${path}`.
 *
 * @example
 * const documents = new S3DocumentStore(new S3Client({}), 'my-documents-bucket');
 * const found = await documents.read('guides/returns-guide.md', 16_384); // { text, bytes, truncated } or undefined
 */
export class S3DocumentStore implements DocumentStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(client: S3Client, bucket: string, prefix = DOCUMENTS_PREFIX) {
    this.#client = client;
    this.#bucket = bucket;
    this.#prefix = prefix;
  }

  async read(path: string, maxBytes: number) {
    try {
      const out = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(path), Range: `bytes=0-${maxBytes - 1}` }),
      );
      const text = (await out.Body?.transformToString('utf-8')) ?? '';
      const total = Number(out.ContentRange?.split('/')[1] ?? out.ContentLength ?? text.length);
      return { text, bytes: total, truncated: total > maxBytes };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async delete(path: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#key(path) }));
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw error;
    }
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(path) }));
    return true;
  }

  #key(path: string): string {
    return documentKey(path, this.#prefix);
  }
}
