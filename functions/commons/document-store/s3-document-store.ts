import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { unsafePathReason } from '../../../shared/argument-types/safe-path.ts';
import type { DocumentStore } from './document-store.ts';

/** Whether an S3 error says the object is not there (GetObject: NoSuchKey; HeadObject: NotFound). */
export const isMissingObject = (error: unknown) => error instanceof Error && (error.name === 'NoSuchKey' || error.name === 'NotFound');

/** Documents in an S3 bucket (deployed): the key is `${prefix}${path}`. */
export class S3DocumentStore implements DocumentStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(client: S3Client, bucket: string, prefix = 'documents/') {
    this.#client = client;
    this.#bucket = bucket;
    this.#prefix = prefix;
  }

  async read(path: string, maxBytes: number) {
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(path), Range: `bytes=0-${maxBytes - 1}` }));
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

  /** Puts a Markdown document (seeds and tests: no tool writes documents, and none is granted to). */
  async put(path: string, text: string): Promise<void> {
    await this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: this.#key(path), Body: text, ContentType: 'text/markdown; charset=utf-8' }));
  }

  #key(path: string): string {
    if (unsafePathReason(path) !== undefined) throw new Error('unsafe document path reached the store');
    return `${this.#prefix}${path}`;
  }
}
