import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isKeyTaken, isMissingObject } from '../aws/s3-errors.ts';
import { chainHead, type AuditLink, type RunChain, type StoredAuditRecord } from './audit-chain.ts';

/** Where archived chains live in the bucket: the functions' grants name this prefix only. */
export const ARCHIVE_PREFIX = 'runs/';

/** A finished run's chain as archived: its records as stored, its seals, and the head they make. */
export interface ArchivedChain {
  readonly runId: string;
  /** ISO-8601 time of the archive. */
  readonly archivedAt: string;
  readonly head: string;
  readonly links: readonly AuditLink[];
  readonly records: readonly StoredAuditRecord[];
}

export const archiveOf = (runId: string, chain: RunChain, at: Date): ArchivedChain => ({
  runId,
  archivedAt: at.toISOString(),
  head: chainHead(chain.links),
  links: chain.links,
  records: [...chain.records].sort((a, b) => a.key.localeCompare(b.key)),
});

/**
 * Finished runs' chains in an S3 bucket with Object Lock (compliance mode, set on the bucket by
 * GuardedAgent's `auditArchive`): once written, nobody can change or delete a run's copy before
 * its retention ends, an administrator included. Each run is written once (If-None-Match: *).
 */
export class S3AuditArchive {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  /** @returns false when the run was archived already (its first copy stays) */
  async put(archive: ArchivedChain): Promise<boolean> {
    try {
      await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: archiveKey(archive.runId),
          Body: JSON.stringify(archive),
          ContentType: 'application/json',
          IfNoneMatch: '*',
          // Object Lock requires an integrity checksum on every put.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      return true;
    } catch (error) {
      if (isKeyTaken(error)) return false;
      throw error;
    }
  }

  async get(runId: string): Promise<ArchivedChain | undefined> {
    try {
      const object = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: archiveKey(runId) }));
      return JSON.parse((await object.Body?.transformToString()) ?? 'null') as ArchivedChain;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }
}

const archiveKey = (runId: string) => `${ARCHIVE_PREFIX}${encodeURIComponent(runId)}.json`;
