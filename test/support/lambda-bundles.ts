import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { App } from 'aws-cdk-lib';
import { Stack } from 'aws-cdk-lib';
import type { GuardedAgent } from '../../infra/guarded-agent/guarded-agent.ts';
import { EMBEDDED_CREDENTIALS } from '../../infra/local/embedded-aws.ts';
import { agentFunctions, functionEnvironments } from '../../infra/local/iam/function-policies.ts';

type Template = { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }> };

/** Each function's synthesized bundle and its template environment (resolved to the local resources), by function name. */
export type Bundles = Map<string, { readonly file: string; readonly env: Record<string, string> }>;

/**
 * Synthesizes the app holding `agent` (made with `createApp({ outdir })`, bundling on) and finds
 * each function's bundle and its environment as the template gives it, resolved to `tableNames`.
 */
export const synthesizedBundles = async (
  app: App,
  agent: GuardedAgent,
  outdir: string,
  tableNames: Readonly<Record<string, string>>,
): Promise<Bundles> => {
  const stack = Stack.of(agent);
  app.synth();
  const template = JSON.parse(await readFile(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as Template;
  const environments = functionEnvironments(template as never, stack, agent, tableNames);
  const found: Bundles = new Map();
  for (const [fnName, fn] of agentFunctions(agent)) {
    const key = String(template.Resources[stack.getLogicalId(fn.node.defaultChild as never)]?.Properties?.Code?.S3Key);
    found.set(fnName, { file: join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs'), env: environments.get(fnName) ?? {} });
  }
  return found;
};

/** Where a bundle's SDK clients go: the embedded services (any other AWS endpoint is a closed local port). */
export interface BundleEndpoints {
  readonly dynamoDb: string;
  readonly s3?: string;
  readonly ses?: string;
  readonly secretsManager?: string;
}

/** Imports a synthesized bundle in a fresh process, with its template environment, and calls its handler once. */
export const invokeBundle = async (
  bundle: { readonly file: string; readonly env: Record<string, string> },
  name: string,
  event: unknown,
  endpoints: BundleEndpoints,
  overrides: Record<string, string> = {},
): Promise<Record<string, unknown>> => {
  const env = {
    PATH: process.env.PATH ?? '',
    ...bundle.env,
    ...overrides,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: EMBEDDED_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMBEDDED_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    ...(endpoints.s3 ? { AWS_ENDPOINT_URL_S3: endpoints.s3 } : {}),
    ...(endpoints.ses ? { AWS_ENDPOINT_URL_SESV2: endpoints.ses } : {}),
    ...(endpoints.secretsManager ? { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager } : {}),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  // Asynchronous: dynalite answers from this process, so it must not be blocked.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundle.file).href)});
    const context = { awsRequestId: 'bundle-${name}', functionName: ${JSON.stringify(name)}, getRemainingTimeInMillis: () => 10000 };
    console.log(JSON.stringify(await handler(${JSON.stringify(event)}, context)));
    process.exit(0);`,
    ],
    { env, encoding: 'utf8', timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
};
