import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3AuditArchive } from '../../../shared/audit/index.ts';
import { createDynamoDbClient } from '../../../shared/aws/index.ts';
import * as FunctionEnv from '../../../functions/commons/env/function-env.ts';
import type { EmbeddedAws } from '../embedded-aws.ts';
import { s3Requests, secretsRequests, sesRequests } from '../iam/aws-requests.ts';
import { functionEnvironments, functionPolicies } from '../iam/function-policies.ts';
import { createLocalIam } from '../iam/local-iam.ts';
import type { SynthesizedLocalApp } from '../local-app.ts';
import type { DataServices } from './data-services.ts';

/**
 * Step 2: each function as CDK synthesized it. Its environment (resolved to the local resources)
 * and clients that act as its role: every call is checked against the role's policies first, as
 * on AWS. Counts each function's DynamoDB requests (the benchmark's loop figures).
 */
export const functionRoles = (
  synthesized: SynthesizedLocalApp,
  names: Readonly<Record<string, string>>,
  data: DataServices,
  aws: EmbeddedAws,
  /** Told of each function's DynamoDB client as it is made (fault injection). */
  instrument?: (functionName: string, client: DynamoDBClient) => void,
) => {
  const { template, stack, agent } = synthesized;
  const iam = createLocalIam(functionPolicies(template, stack, agent, names));
  const environments = functionEnvironments(template, stack, agent, names);
  const functionClients: DynamoDBClient[] = [];
  const requestCounts = new Map<string, number>();
  /** A DynamoDB client that acts as one function: every command is authorized against its role first. */
  const clientOf = (functionName: string): DynamoDBClient => {
    const functionClient = data.inFlight.track(iam.guardClient(createDynamoDbClient(data.clientConfig), functionName));
    functionClient.middlewareStack.add(
      (next) => (args) => (requestCounts.set(functionName, (requestCounts.get(functionName) ?? 0) + 1), next(args)),
      { step: 'initialize', name: 'localRequestCount' },
    );
    instrument?.(functionName, functionClient);
    functionClients.push(functionClient);
    return functionClient;
  };
  /** A function's S3, SES and Secrets Manager clients, authorized against its role like its DynamoDB client. */
  const serviceClientsOf = (functionName: string) => ({
    s3: iam.guardClient(aws.newS3Client(), functionName, s3Requests),
    ses: iam.guardClient(aws.newSesClient(), functionName, sesRequests),
    secrets: iam.guardClient(aws.newSecretsClient(), functionName, secretsRequests),
  });
  return {
    iam,
    /** A function's synthesized environment, resolved to the local resources. */
    envOf: (functionName: string): Readonly<Record<string, string>> => environments.get(functionName) ?? {},
    clientOf,
    serviceClientsOf,
    /** The audit archive as a function's Lambda builds it, from the bucket its environment names. */
    archiveOf: (functionName: string) => {
      const bucket = environments.get(functionName)?.[FunctionEnv.AUDIT_ARCHIVE_BUCKET.name];
      return bucket ? new S3AuditArchive(serviceClientsOf(functionName).s3, bucket) : undefined;
    },
    requestCounts: (): ReadonlyMap<string, number> => requestCounts,
    destroy: () => {
      for (const c of functionClients) c.destroy();
    },
  };
};

export type FunctionRoles = ReturnType<typeof functionRoles>;
