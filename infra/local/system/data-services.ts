import { createHash, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { dynalite } from '../patched-dynalite.ts';
import { createDynamoDbClient } from '../../../shared/aws/index.ts';
import { createEmbeddedTables, guardTableSpecs, orchestrationTableSpecs } from '../../../shared/tables/index.ts';
import type { GuardedAgent } from '../../guarded-agent/guarded-agent.ts';
import { giveItemOnConditionFailure } from '../condition-failure-item.ts';
import { embeddedClientConfig, startEmbeddedAws, type EmbeddedAws } from '../embedded-aws.ts';
import { trackInFlight } from '../in-flight.ts';
import type { LocalApp } from '../local-app.ts';
import type { LocalSystemOptions } from './options.ts';

/**
 * Step 1: the embedded data services. DynamoDB (dynalite in this process, or the engine at
 * `dynamoDbEndpoint`), and S3, SES and Secrets Manager starting meanwhile (`aws`, awaited by
 * `createTables`). The platform's own client creates and seeds tables, as CloudFormation and a
 * seed job would, and reads the console's counters, as CloudWatch would: it is no function, so it
 * is not checked against a role.
 */
export const startDataServices = async (options: Pick<LocalSystemOptions, 'dataDir' | 'dynamoDbEndpoint' | 'secrets'>) => {
  const external = options.dynamoDbEndpoint ?? process.env.DYNAMODB_ENDPOINT;
  // DynamoDB's answer to a failed condition, which dynalite lacks (condition-failure-item.ts).
  if (!external) giveItemOnConditionFailure();
  const server = external
    ? undefined
    : dynalite({
        createTableMs: 0,
        deleteTableMs: 0,
        updateTableMs: 0,
        ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
      });
  if (server) await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const endpoint = external ?? `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
  const clientConfig = embeddedClientConfig(endpoint);
  const client = createDynamoDbClient(clientConfig);
  // Another engine is shared: tables get a prefix of their own, the same one for the same data folder.
  const prefix = !external
    ? 'local-'
    : `local-${createHash('sha256')
        .update(options.dataDir ? resolve(options.dataDir) : randomUUID())
        .digest('hex')
        .slice(0, 10)}-`;
  // Started now, S3 and SES come up while the tables are made and the stack is synthesized.
  const aws = startEmbeddedAws({
    ...(options.dataDir ? { s3Directory: join(options.dataDir, 's3') } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  aws.catch(() => undefined); // Awaited by createTables; a failure meanwhile is not an unhandled rejection.
  return {
    endpoint,
    clientConfig,
    client,
    inFlight: trackInFlight(client),
    prefix,
    aws,
    /** Closes the engine (dynalite), once every client is done. */
    stopEngine: async () => {
      client.destroy();
      if (server) await new Promise<void>((done) => server.close(() => done()));
    },
  };
};

export type DataServices = Awaited<ReturnType<typeof startDataServices>>;

/** Step 1, continued: every table the app needs (made, or found in the data folder), seeded by the app. */
export const createTables = async (data: DataServices, agent: GuardedAgent, app: LocalApp) => {
  const names = await createEmbeddedTables(
    data.client,
    [...Object.values(guardTableSpecs), ...agent.dataTableSpecs, ...Object.values(orchestrationTableSpecs)],
    data.prefix,
  );
  const table = (id: string) => names[id] as string;
  const tables = {
    guard: table(guardTableSpecs.guard.id),
    idempotency: table(guardTableSpecs.idempotency.id),
    audit: table(guardTableSpecs.audit.id),
    approvals: table(guardTableSpecs.approvals.id),
  };
  const aws = await data.aws;
  await app.seed?.({
    dynamoDb: data.client,
    tableNames: names,
    ...(agent.documents ? { documents: { s3: aws.s3, bucket: aws.documents.bucket, isNew: aws.documents.isNew } } : {}),
  });
  return { names, tables, runsTable: table(orchestrationTableSpecs.runs.id), aws };
};

export type LocalTables = Awaited<ReturnType<typeof createTables>>;

/** What the local system shows of the embedded services (tests, the red team, the bundles tests). */
export const embeddedServices = (aws: EmbeddedAws) => ({
  /** The documents bucket on the embedded S3, through the platform's client. */
  documents: aws.documents,
  /** The mail send_email sent through the embedded SES since this start, oldest first. */
  sentMail: aws.sentMail,
  /** The embedded S3, SES and Secrets Manager endpoints (the bundles tests point synthesized functions at them). */
  s3Endpoint: aws.s3Endpoint,
  sesEndpoint: aws.sesEndpoint,
  secretsManagerEndpoint: aws.secretsManagerEndpoint,
});
