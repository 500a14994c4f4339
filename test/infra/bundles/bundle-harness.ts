import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createApp, REPO_ROOT } from '../../../infra/cdk-app.ts';
import { GuardedAgentsStack } from '../../../infra/guarded-agents-stack.ts';
import { startDemoSystem, type DemoSystem } from '../../../infra/local/demo-app.ts';
import type { ModelScript } from '#shared/model/index.ts';
import { startingRun } from '#shared/runs/index.ts';
import { invokeBundle, synthesizedBundles, type Bundles } from '../../support/lambda-bundles.ts';

/**
 * The Lambda bundles `cdk synth` produces are what is proven here: each function's synthesized
 * bundle is imported in a fresh process with the environment variables of the template (resolved
 * to the local tables and bucket) and answers one real call against the embedded DynamoDB, S3 and
 * SES. Anything else the SDK would reach goes to a closed local port: nothing leaves the machine.
 */
export let system: DemoSystem;
/** The demo deployment's bundles, in a test file that asked for them (`useBundleSystem({ demo: true })`). */
export let bundles: Bundles;
let outdir: string;

/** Synthesizes a demo stack with bundling on and finds each function's bundle and its template environment (resolved locally). */
export const synthBundles = (name: string, props: ConstructorParameters<typeof GuardedAgentsStack>[2]): Promise<Bundles> => {
  const app = createApp({ outdir: join(outdir, name) });
  const stack = new GuardedAgentsStack(app, name, props);
  return synthesizedBundles(app, stack.agent, join(outdir, name), system.tableNames);
};

/** Starts the demo system (the embedded DynamoDB, S3 and SES) for the test file, and with `demo`, synthesizes the demo deployment. */
export const useBundleSystem = (options: { readonly demo?: boolean } = {}) => {
  beforeAll(async () => {
    // Inside the repository, so that the modules a bundle leaves to the Lambda runtime's own SDK (the
    // lazily loaded credential and token providers) resolve from node_modules, as they do from the runtime.
    await mkdir(join(REPO_ROOT, 'dist'), { recursive: true });
    outdir = await mkdtemp(join(REPO_ROOT, 'dist', 'bundles-'));
    system = await startDemoSystem({});
    if (options.demo) bundles = await synthBundles('Bundles', { senderEmail: 'agent@example.com', auditArchiveDays: 1 });
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    if (outdir) await rm(outdir, { recursive: true, force: true });
  });
};
export const listenOn = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** Calls one function's synthesized bundle once, in a fresh process, against the embedded services. */
export const invoke = (name: string, event: unknown, overrides: Record<string, string> = {}, from: Bundles = bundles) => {
  const bundle = from.get(name);
  if (!bundle) throw new Error(`no bundle for ${name}`);
  return invokeBundle(
    bundle,
    name,
    event,
    { dynamoDb: system.dynamoDbEndpoint, s3: system.s3Endpoint, ses: system.sesEndpoint },
    overrides,
  );
};

/** A run of uma's whose model is a script (the stacks here allow scripts when told to, as CallModel's tests tell them). */
export const scriptedRun = async (runId: string, turns: ModelScript['turns']) => {
  await system.runs.create(
    startingRun({ runId, owner: 'uma', groups: ['user'], input: 'hi', maxIterations: 3, script: { provider: 'scripted', turns } }),
  );
};

export const call = (tool: string, args: unknown, caller = { userId: 'uma', groups: ['user'] }, extra: Record<string, unknown> = {}) => ({
  runId: `run-bundle-${tool.replaceAll('_', '-')}`,
  callId: 'c1-1',
  tool,
  caller,
  arguments: args,
  ...extra,
});

/** An MCP request (JSON-RPC) as API Gateway delivers it to the Mcp function, uma's claims from Cognito. */
export const mcpPost = (body: unknown) => ({
  httpMethod: 'POST',
  path: '/mcp',
  headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-11-25' },
  body: JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: { authorizer: { claims: { sub: 'uma', 'cognito:groups': 'user' } } },
});
