import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type * as SesLocal from 'aws-ses-v2-local';
import type S3rverClass from 's3rver';
import { requirePeer, resolvePeer } from '../../shared/optional-peers/index.ts';
import { EMBEDDED_ENGINE_TIMEOUTS } from '../../shared/aws/index.ts';
import { DOCUMENTS_PREFIX, S3DocumentStore } from '../../functions/commons/document-store/s3-document-store.ts';
import { putDocument } from '../../functions/commons/document-store/put-document.ts';
import { LOCAL_ACCOUNT, LOCAL_DOCUMENTS_BUCKET } from './iam/function-policies.ts';
import { startEmbeddedSecrets } from './embedded-secrets.ts';

/**
 * The local system's credentials, for every embedded service: s3rver checks signatures and knows
 * only this key pair, and DynamoDB Local keeps a separate database per access key (so a bundle run
 * with these credentials sees the tables the system made). Who may do what is the local IAM's
 * business, checked before a call leaves.
 */
export const EMBEDDED_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/**
 * How the SDK clients of the local system reach an embedded service (DynamoDB, S3, SES): its
 * credentials, and timeouts fit for a loaded machine (production clients keep their own).
 */
export const embeddedClientConfig = (endpoint: string) => ({
  endpoint,
  region: LOCAL_ACCOUNT.region,
  credentials: EMBEDDED_CREDENTIALS,
  maxAttempts: 3,
  requestHandler: EMBEDDED_ENGINE_TIMEOUTS,
});

/**
 * Amazon S3 on this machine (s3rver): the deployed S3 code runs against it unchanged. Objects live
 * in `directory` (they survive a restart) or in a temporary folder removed at stop.
 */
const startEmbeddedS3 = async (options: { directory?: string } = {}) => {
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'guarded-agents-s3-')));
  await mkdir(directory, { recursive: true });
  const S3rver = requirePeer<typeof S3rverClass>('local', 's3rver');
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      // Idle keep-alive sockets of the SDK clients would hold the close for seconds.
      server.httpServer?.closeIdleConnections();
      await server.close();
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
};

const requireHere = createRequire(import.meta.url);
const SES_PACKAGE_DIR = dirname(resolvePeer('local', 'aws-ses-v2-local'));

/**
 * A fresh copy of aws-ses-v2-local: the package keeps sent mail in a module-level store, so two
 * local systems in one process (tests) would read each other's mail. Loading its modules anew
 * gives each server a store of its own. (require, not import: Node's and vitest's ES imports of this
 * CommonJS package disagree on what its default export is.)
 */
const freshSesServer = () => {
  for (const key of Object.keys(requireHere.cache)) if (key.startsWith(SES_PACKAGE_DIR + sep)) delete requireHere.cache[key];
  return (requireHere('aws-ses-v2-local') as typeof SesLocal.default).default;
};

/** One message the embedded SES accepted, as its store keeps it. */
export interface SentMail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[]; readonly cc: readonly string[]; readonly bcc: readonly string[] };
  readonly subject: string;
  readonly body: { readonly text?: string; readonly html?: string };
  /** Epoch seconds. */
  readonly at: number;
}

/**
 * Amazon SES v2 on this machine (aws-ses-v2-local): the deployed SesMailer sends to it unchanged and
 * the mail stays here, in memory, readable from its store until the server stops.
 */
const startEmbeddedSes = async () => {
  const server = await freshSesServer()({ host: '127.0.0.1', port: 0 });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    /** The mail sent so far, oldest first. */
    sentMail: async (): Promise<SentMail[]> => ((await (await fetch(`${endpoint}/store`)).json()) as { emails: SentMail[] }).emails,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
};

/**
 * Creates the bucket, as CloudFormation would. One that exists already (a restart on the same data)
 * is left as it is: what was deleted stays deleted.
 * @returns whether the bucket is new
 */
export const createBucket = async (s3: S3Client, bucket: string): Promise<boolean> => {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if (error instanceof Error && (error.name === 'BucketAlreadyOwnedByYou' || error.name === 'BucketAlreadyExists')) return false;
    throw error;
  }
};

/**
 * S3 with the documents bucket, SES and Secrets Manager (GetSecretValue) on this machine. The
 * platform's own S3 client creates the bucket (as CloudFormation would; the app's seed fills it) and
 * serves `documents`; functions get clients of their own from `newS3Client`/`newSesClient`/`newSecretsClient`.
 */
export const startEmbeddedAws = async (options: { s3Directory?: string; secrets?: Readonly<Record<string, string>> } = {}) => {
  const [s3Server, sesServer_, secretsServer] = await Promise.all([
    startEmbeddedS3(options.s3Directory ? { directory: options.s3Directory } : {}),
    startEmbeddedSes(),
    startEmbeddedSecrets(options.secrets ?? {}),
  ]);
  const s3Config = { ...embeddedClientConfig(s3Server.endpoint), forcePathStyle: true };
  const sesConfig = embeddedClientConfig(sesServer_.endpoint);
  const secretsConfig = embeddedClientConfig(secretsServer.endpoint);
  const s3 = new S3Client(s3Config);
  const clients: Array<{ destroy(): void }> = [s3];
  /** A function's own client, destroyed when the services stop. */
  const own = <C extends { destroy(): void }>(client: C): C => (clients.push(client), client);
  const bucket = LOCAL_DOCUMENTS_BUCKET;
  const isNew = await createBucket(s3, bucket);
  const store = new S3DocumentStore(s3, bucket);
  return {
    s3Endpoint: s3Server.endpoint,
    sesEndpoint: sesServer_.endpoint,
    secretsManagerEndpoint: secretsServer.endpoint,
    /** New clients of the embedded services (a function's own; stopped with the services). */
    newS3Client: () => own(new S3Client(s3Config)),
    newSesClient: () => own(new SESv2Client(sesConfig)),
    newSecretsClient: () => own(new SecretsManagerClient(secretsConfig)),
    /** The platform's own S3 client (seeding, as a seed job would: not a function's, not checked against a role). */
    s3,
    /** The documents bucket, through the platform's client and the deployed document store. */
    documents: {
      bucket,
      /** Whether this start created it (false on a restart over the same data). */
      isNew,
      /** Puts a document into the documents bucket. */
      put: (path: string, text: string) => putDocument(s3, bucket, path, text),
      /** Removes a document from the bucket's store. */
      remove: (path: string) => store.delete(path),
      /** Whether the bucket holds a document at that path. */
      exists: async (path: string): Promise<boolean> => (await store.read(path, 1)) !== undefined,
      /** Every document, by path (the console shows what the document tools can read, and what delete_document left). */
      list: async (): Promise<Array<{ path: string; bytes: number; modifiedAt: string }>> => {
        const prefix = DOCUMENTS_PREFIX;
        const documents: Array<{ path: string; bytes: number; modifiedAt: string }> = [];
        let token: string | undefined;
        do {
          const page = await s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
          );
          for (const object of page.Contents ?? [])
            documents.push({
              path: (object.Key ?? '').slice(prefix.length),
              bytes: object.Size ?? 0,
              modifiedAt: object.LastModified?.toISOString() ?? '',
            });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token && documents.length < 1000);
        return documents;
      },
    },
    /** The mail sent through the embedded SES since it started, oldest first. */
    sentMail: sesServer_.sentMail,
    stop: async () => {
      for (const client of clients) client.destroy();
      await Promise.all([s3Server.stop(), sesServer_.stop(), secretsServer.stop()]);
    },
  };
};

export type EmbeddedAws = Awaited<ReturnType<typeof startEmbeddedAws>>;
