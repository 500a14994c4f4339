import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isKeyTaken, isMissingObject } from '../aws/index.ts';
import { chainHead, type AuditLink, type RunChain, type StoredAuditRecord } from './audit-chain.ts';
import type { AuditAnchor } from './audit-anchor.ts';

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
 * Each seal's anchor (while the run goes on) and finished runs' chains in an S3 bucket with Object Lock (compliance mode, set on the bucket by
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
  put(archive: ArchivedChain): Promise<boolean> {
    return this.#putOnce(archiveKey(archive.runId), archive);
  }

  /** A finished run's archived chain, or undefined when it has none. */
  async get(runId: string): Promise<ArchivedChain | undefined> {
    return this.#read<ArchivedChain>(archiveKey(runId));
  }

  /** Anchors one seal (and, `ended`, the run's end) once: @returns false when it was anchored already (its first copy stays) */
  putAnchor(anchor: AuditAnchor): Promise<boolean> {
    return this.#putOnce(anchorKey(anchor.runId, anchor.seq, anchor.ended === true), anchor);
  }

  /** Every anchor of a run, as written (listed under its prefix, then read). */
  async anchors(runId: string): Promise<AuditAnchor[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.#s3.send(
        new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: anchorPrefix(runId), ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const anchors = await Promise.all(keys.map((key) => this.#read<AuditAnchor>(key)));
    return anchors.filter((anchor): anchor is AuditAnchor => anchor !== undefined);
  }

  async #putOnce(key: string, body: unknown): Promise<boolean> {
    try {
      await this.#s3.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Body: JSON.stringify(body),
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

  async #read<T>(key: string): Promise<T | undefined> {
    try {
      const object = await this.#s3.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return JSON.parse((await object.Body?.transformToString()) ?? 'null') as T;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }
}

const archiveKey = (runId: string) => `${ARCHIVE_PREFIX}${encodeURIComponent(runId)}.json`;
/** A run's anchors, beside its archived copy under the same prefix (so the same grants cover them). */
const anchorPrefix = (runId: string) => `${ARCHIVE_PREFIX}${encodeURIComponent(runId)}/anchors/`;
const anchorKey = (runId: string, seq: number, ended: boolean) =>
  `${anchorPrefix(runId)}${String(seq).padStart(6, '0')}${ended ? '-ended' : ''}.json`;
