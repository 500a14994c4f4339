import { GENESIS } from '#shared/audit/index.ts';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalIdOf } from '#shared/approval/index.ts';
import { hashCanonical } from '#shared/canonical-json/index.ts';
import { createApp, REPO_ROOT } from '../../infra/cdk-app.ts';
import { GuardedAgentsStack } from '../../infra/guarded-agents-stack.ts';
import { startDemoSystem, type DemoSystem } from '../../infra/local/demo-app.ts';
import type { AnyTool } from '#shared/tool/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import type { ModelScript } from '#shared/model/index.ts';
import { runTraceIds } from '#shared/tracing/index.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { invokeBundle, synthesizedBundles, type Bundles } from '../support/lambda-bundles.ts';
import recordedSecret from '../fixtures/secrets-manager/get-secret-value.json' with { type: 'json' };

/**
 * The Lambda bundles `cdk synth` produces are what is proven here: each function's synthesized
 * bundle is imported in a fresh process with the environment variables of the template (resolved
 * to the local tables and bucket) and answers one real call against the embedded DynamoDB, S3 and
 * SES. Anything else the SDK would reach goes to a closed local port: nothing leaves the machine.
 */
let outdir: string;
let system: DemoSystem;
let bundles: Bundles;

/** Synthesizes a demo stack with bundling on and finds each function's bundle and its template environment (resolved locally). */
const synthBundles = (name: string, props: ConstructorParameters<typeof GuardedAgentsStack>[2]): Promise<Bundles> => {
  const app = createApp({ outdir: join(outdir, name) });
  const stack = new GuardedAgentsStack(app, name, props);
  return synthesizedBundles(app, stack.agent, join(outdir, name), system.tableNames);
};

beforeAll(async () => {
  // Inside the repository, so that the modules a bundle leaves to the Lambda runtime's own SDK (the
  // lazily loaded credential and token providers) resolve from node_modules, as they do from the runtime.
  await mkdir(join(REPO_ROOT, 'dist'), { recursive: true });
  outdir = await mkdtemp(join(REPO_ROOT, 'dist', 'bundles-'));
  system = await startDemoSystem({});
  bundles = await synthBundles('Bundles', { senderEmail: 'agent@example.com', auditArchiveDays: 1 });
}, 180_000);
afterAll(async () => {
  await system?.stop();
  if (outdir) await rm(outdir, { recursive: true, force: true });
});

const listenOn = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** Calls one function's synthesized bundle once, in a fresh process, against the embedded services. */
const invoke = (name: string, event: unknown, overrides: Record<string, string> = {}, from: Bundles = bundles) => {
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
const scriptedRun = async (runId: string, turns: ModelScript['turns']) => {
  const now = new Date().toISOString();
  await system.runs.create({
    runId,
    owner: 'uma',
    groups: ['user'],
    input: 'hi',
    maxIterations: 3,
    iteration: 0,
    status: 'RUNNING',
    script: { provider: 'scripted', turns },
    createdAt: now,
    updatedAt: now,
  });
};

const call = (tool: string, args: unknown, caller = { userId: 'uma', groups: ['user'] }, extra: Record<string, unknown> = {}) => ({
  runId: `run-bundle-${tool.replaceAll('_', '-')}`,
  callId: 'c1-1',
  tool,
  caller,
  arguments: args,
  ...extra,
});

/** An MCP request (JSON-RPC) as API Gateway delivers it to the Mcp function, uma's claims from Cognito. */
const mcpPost = (body: unknown) => ({
  httpMethod: 'POST',
  path: '/mcp',
  headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-11-25' },
  body: JSON.stringify(body),
  isBase64Encoded: false,
  requestContext: { authorizer: { claims: { sub: 'uma', 'cognito:groups': 'user' } } },
});

describe("every synthesized bundle answers a real call with the template's environment", () => {
  it('has a bundle for each of the 13 functions', () => {
    expect([...bundles.keys()].sort()).toEqual([
      'Api',
      'CallModel',
      'Mcp',
      'RequestApproval',
      'create_ticket',
      'delete_document',
      'fetch_url',
      'lookup_order',
      'publish_announcement',
      'read_document',
      'refund_order',
      'search_knowledge_base',
      'send_email',
    ]);
  });

  it.each([
    ['lookup_order', call('lookup_order', { orderId: 'ORD-104233' })],
    ['search_knowledge_base', call('search_knowledge_base', { query: 'return an item' })],
    [
      'create_ticket',
      call('create_ticket', { title: 'Printer', description: 'It jams.', priority: 'low' }, { userId: 'olga', groups: ['operator'] }),
    ],
  ])('%s: the whole pipeline and the handler, against the embedded DynamoDB', async (tool, event) => {
    expect(await invoke(tool, event)).toMatchObject({ ok: true });
  });

  /** Records a decided approval of one call by another approver, as the approval flow does. */
  const approve = async (event: ReturnType<typeof call>) => {
    const approvalId = approvalIdOf(event.runId, event.callId);
    await system.approvalRequests.create({
      approvalId,
      runId: event.runId,
      callId: event.callId,
      tool: event.tool,
      argsHash: hashCanonical(event.arguments),
      requestedBy: event.caller.userId,
      summary: '{}',
      shown: '{}',
      taskToken: 't',
      expiresAt: Math.floor(Date.now() / 1000) + 600,
      requestedAtMs: Date.now(),
    });
    await system.approvals.decide(approvalId, 'approve', { userId: 'pat', groups: ['approver'] });
    return { ...event, approvalId };
  };
  const admin = { userId: 'adam', groups: ['admin'] };

  it('read_document: reads the object from the embedded S3 (a range), and a missing key is "no such document"', async () => {
    expect(await invoke('read_document', call('read_document', { path: 'policies/leave-policy.md' }))).toMatchObject({
      ok: true,
      data: { text: expect.stringContaining('28 days'), truncated: false },
    });
    expect(await invoke('read_document', { ...call('read_document', { path: 'policies/nope.md' }), callId: 'c1-2' })).toMatchObject({
      ok: false,
      error: { code: 'TOOL_FAILED', retryable: false, message: 'No document at policies/nope.md.' },
    });
  });

  it('delete_document: with a recorded approval, deletes the object from the embedded S3', async () => {
    await system.documents.put('drafts/old.md', 'old');
    expect(await invoke('delete_document', await approve(call('delete_document', { path: 'drafts/old.md' }, admin)))).toEqual({
      ok: true,
      data: { deleted: 'drafts/old.md' },
    });
    expect(await system.documents.exists('drafts/old.md')).toBe(false);
  });

  it("send_email: with a recorded approval, sends through the embedded SES v2 from the template's sender", async () => {
    const result = await invoke(
      'send_email',
      await approve(call('send_email', { to: 'jane@example.com', subject: 'Bundled', body: 'From the bundle.' }, admin)),
    );
    expect(result).toMatchObject({ ok: true, data: { messageId: expect.any(String) } });
    expect(await system.sentMail()).toContainEqual(
      expect.objectContaining({
        messageId: (result as { data: { messageId: string } }).data.messageId,
        from: 'agent@example.com',
        subject: 'Bundled',
      }),
    );
  });

  it('fetch_url: loads and runs its pipeline (a refused call, the internet not contacted)', async () => {
    expect(await invoke('fetch_url', call('fetch_url', { url: 'http://169.254.169.254/latest/meta-data/' }))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
  });

  it('publish_announcement: with a recorded approval by another approver, as deployed', async () => {
    expect(
      await invoke(
        'publish_announcement',
        await approve(call('publish_announcement', { title: 'Office closed', body: 'On Friday.' }, admin)),
      ),
    ).toMatchObject({ ok: true });
  });

  it('CallModel: loads the run, converses (a scripted run) and saves the step', async () => {
    const runId = 'run-bundle-call-model';
    await scriptedRun(runId, [{ text: 'Hello.' }]);
    // The stack does not allow scripted runs unless told to; this one is told to.
    expect(await invoke('CallModel', { runId }, { ALLOW_SCRIPTED_MODEL: 'true' })).toEqual({ runId, done: true });
    expect((await system.runs.load(runId))?.run).toMatchObject({ status: 'SUCCEEDED', output: 'Hello.' });
    // The run ended: its audit chain (empty: no tool was called) archived by the bundle's own S3 client.
    expect(await system.deps.auditArchive?.get(runId)).toMatchObject({ runId, head: GENESIS, records: [] });
  });

  it('RequestApproval: records the approval with its token', async () => {
    const item = {
      functionName: 'send_email',
      summary: '{}',
      shown: '{}',
      invocation: {
        runId: 'run-bundle-approval',
        callId: 'c1-1',
        tool: 'send_email',
        caller: { userId: 'adam', groups: ['admin'] },
        arguments: { to: 'jane@example.com' },
        receipt: true,
      },
    };
    expect(await invoke('RequestApproval', { taskToken: 'token-from-step-functions', item })).toEqual({
      approvalId: 'run-bundle-approval.c1-1',
    });
    expect(await system.approvals.get('run-bundle-approval.c1-1')).toMatchObject({ status: 'PENDING', requestedBy: 'adam' });
  });

  it('Api: answers API Gateway events, with identity from the Cognito claims', async () => {
    expect(
      await invoke('Api', { httpMethod: 'GET', path: '/health', headers: {}, body: null, isBase64Encoded: false, requestContext: {} }),
    ).toMatchObject({ statusCode: 200 });
    const tools = await invoke('Api', {
      httpMethod: 'GET',
      path: '/tools',
      headers: {},
      body: null,
      isBase64Encoded: false,
      requestContext: { authorizer: { claims: { sub: 'uma', 'cognito:groups': 'user' } } },
    });
    expect(tools).toMatchObject({ statusCode: 200 });
    expect(String(tools.body)).toContain('lookup_order');
  });

  it('Mcp: answers an MCP tools/list as API Gateway delivers it, the caller from the Cognito claims', async () => {
    const mcp = (body: unknown) => invoke('Mcp', mcpPost(body));
    const listed = await mcp({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(listed).toMatchObject({ statusCode: 200 });
    const names = (JSON.parse(String(listed.body)) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name);
    expect(names).toContain('lookup_order');
    expect(names).not.toContain('send_email');
    expect(
      await invoke('Mcp', { httpMethod: 'GET', path: '/mcp', headers: {}, body: null, isBase64Encoded: false, requestContext: {} }),
    ).toMatchObject({
      statusCode: 405,
    });
  });
});

describe('a deployment of some of the tools: its loop and its API know exactly those', () => {
  let some: Bundles;
  beforeAll(async () => {
    some = await synthBundles('SomeTools', {
      tools: [toolCatalog.resolve('lookup_order'), toolCatalog.resolve('search_knowledge_base')] as AnyTool[],
    });
  }, 180_000);
  const claims = { sub: 'uma', 'cognito:groups': 'user' };

  it("the API lists the deployed tools, not the repository's catalog", async () => {
    const tools = await invoke(
      'Api',
      { httpMethod: 'GET', path: '/tools', headers: {}, body: null, isBase64Encoded: false, requestContext: { authorizer: { claims } } },
      {},
      some,
    );
    expect((JSON.parse(String(tools.body)) as { tools: Array<{ name: string }> }).tools.map((t) => t.name).sort()).toEqual([
      'lookup_order',
      'search_knowledge_base',
    ]);
  });

  it('CallModel offers and screens the deployed tools only: a tool of the catalog that is not deployed is refused', async () => {
    const runId = 'run-bundle-some-tools';
    const turns = [
      {
        toolCalls: [
          { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
          { name: 'read_document', arguments: { path: 'policies/leave-policy.md' } },
        ],
      },
      { text: 'Done.' },
    ];
    await scriptedRun(runId, turns);
    const step = (await invoke('CallModel', { runId }, { ALLOW_SCRIPTED_MODEL: 'true' }, some)) as {
      execute?: Array<{ invocation: { tool: string } }>;
    };
    expect(step.execute?.map((e) => e.invocation.tool)).toEqual(['lookup_order']);
    expect((await system.runs.load(runId))?.calls.map((c) => [c.tool, c.status, c.code ?? null])).toEqual([
      ['lookup_order', 'running', null],
      ['read_document', 'rejected', 'UNKNOWN_TOOL'],
    ]);
  });
});

describe('a deployment with policies: CallModel, MCP and the tools a policy names evaluate them with the Cedar their assets ship', () => {
  let governed: Bundles;
  beforeAll(async () => {
    governed = await synthBundles('Policies', { policies: join(REPO_ROOT, 'test', 'infra', 'local', 'policies') });
  }, 180_000);

  it("ships Cedar's Node bindings beside the bundles that evaluate policies, and no other", async () => {
    const cedarIn = (name: string) =>
      existsSync(
        join(
          dirname((governed.get(name) as { file: string }).file),
          'node_modules',
          '@cedar-policy',
          'cedar-wasm',
          'nodejs',
          'cedar_wasm_bg.wasm',
        ),
      );
    expect(cedarIn('CallModel')).toBe(true);
    expect(cedarIn('Mcp')).toBe(true);
    // A tool a policy names evaluates it too; one no policy names loads none of it.
    expect(cedarIn('lookup_order')).toBe(true);
    expect(cedarIn('delete_document')).toBe(false);
    expect(cedarIn('Api')).toBe(false);
  });

  it("a tool's own bundle refuses what a policy forbids, whatever the loop did, and records the set's decision", async () => {
    // As the loop sends it: with the run's history (the policies count lookups).
    const history = { calls: { lookup_order: 0 }, tokens: 0 };
    const event = { ...call('lookup_order', { orderId: 'ORD-104231' }), history };
    const runId = 'run-bundle-policies-tool';
    expect(await invoke('lookup_order', { ...event, runId }, {}, governed)).toMatchObject({
      ok: false,
      error: { code: 'POLICY_DENIED', message: 'lookup_order was refused by policy no-lookups-of-order-104231.' },
    });
    const allowed = { ...call('lookup_order', { orderId: 'ORD-104233' }), runId };
    expect(await invoke('lookup_order', { ...allowed, callId: 'c1-2', history }, {}, governed)).toMatchObject({ ok: true });
    // Without the history the loop counts, the rule that counts cannot be decided: the tool refuses.
    expect(await invoke('lookup_order', { ...allowed, callId: 'c1-3' }, {}, governed)).toMatchObject({
      ok: false,
      error: { code: 'POLICY_DENIED', message: expect.stringContaining('policy at-most-three-lookups could not be evaluated') },
    });
    const records = await system.deps.audit.listByRun(runId);
    expect(records.map((r) => [r.policy?.effect, r.policy?.deciding])).toEqual([
      ['forbid', ['no-lookups-of-order-104231']],
      ['permit', undefined],
      ['forbid', ['at-most-three-lookups']],
    ]);
  });

  it('CallModel refuses a call a policy forbids, naming it, and screens the rest as before', async () => {
    const runId = 'run-bundle-policies';
    await scriptedRun(runId, [
      {
        toolCalls: [
          { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
          { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
        ],
      },
      { text: 'Done.' },
    ]);
    const step = (await invoke('CallModel', { runId }, { ALLOW_SCRIPTED_MODEL: 'true' }, governed)) as {
      execute?: Array<{ invocation: { arguments: unknown } }>;
    };
    expect(step.execute?.map((e) => e.invocation.arguments)).toEqual([{ orderId: 'ORD-104233' }]);
    const calls = (await system.runs.load(runId))?.calls ?? [];
    expect(calls.map((c) => [c.status, c.code ?? null])).toEqual([
      ['rejected', 'POLICY_DENIED'],
      ['running', null],
    ]);
    expect(JSON.stringify(calls[0])).toContain('no-lookups-of-order-104231');
  });

  it('Mcp refuses the same call over tools/call', async () => {
    const mcp = (body: unknown) => invoke('Mcp', mcpPost(body), {}, governed);
    const answer = await mcp({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'lookup_order', arguments: { orderId: 'ORD-104231' } },
    });
    expect(answer).toMatchObject({ statusCode: 200 });
    expect(String(answer.body)).toContain('POLICY_DENIED');
    expect(String(answer.body)).toContain('no-lookups-of-order-104231');
  });
});

describe('a traced deployment: its bundles send their spans, signed for X-Ray and to an OTLP endpoint', () => {
  let traced: Bundles;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  // Secrets Manager, which cannot run here: GetSecretValue answered in its documented shape (AWS JSON 1.1), the headers as the secret's value.
  let secrets: Server;
  let secretsEndpoint: string;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    secrets = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ...recordedSecret, SecretString: 'x-api-key=bundle-key-123' }));
    });
    secretsEndpoint = `http://127.0.0.1:${await listenOn(secrets)}`;
    traced = await synthBundles('Traced', {
      tools: [toolCatalog.resolve('lookup_order')] as AnyTool[],
      tracing: { xray: true, otlpEndpoint: `${receiver.endpoint}/collector/v1/traces`, otlpProtocol: 'http/json', otlpHeaders: true },
    });
  }, 180_000);
  afterAll(async () => {
    await receiver?.close();
    secrets?.close();
  });
  // X-Ray's endpoint is the receiver too, and Secrets Manager the stub, by the variables every AWS SDK client honours.
  const toReceiver = () => ({
    AWS_ENDPOINT_URL_XRAY: receiver.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint,
    OTLP_HEADERS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:TracingHeaders-a1b2c3',
    ALLOW_SCRIPTED_MODEL: 'true',
  });
  const spanNamesOf = (body: Buffer) =>
    (
      JSON.parse(String(body)) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string; traceId: string }> }> }> }
    ).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));

  it('a tool sends its call, its guards and their DynamoDB requests before it answers', async () => {
    const event = { ...call('lookup_order', { orderId: 'ORD-104233' }), runId: 'run-bundle-traced' };
    expect(await invoke('lookup_order', event, toReceiver(), traced)).toMatchObject({ ok: true });
    const collector = receiver.received.filter((r) => r.path === '/collector/v1/traces');
    // With the headers from the secret: the collector's key never sits in the function's configuration.
    for (const request of collector) expect(request.headers['x-api-key']).toBe('bundle-key-123');
    const spans = collector.flatMap((r) => spanNamesOf(r.body));
    expect(spans.map((s) => s.name)).toEqual(
      expect.arrayContaining(['execute_tool lookup_order', 'guard idempotency', 'guard rate-limit', 'guard breaker', 'DynamoDB.PutItem']),
    );
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([runTraceIds('run-bundle-traced').traceId]));
    const xray = receiver.received.filter((r) => r.path === '/v1/traces');
    expect(xray.length).toBeGreaterThan(0);
    for (const request of xray) {
      expect(request.contentType).toBe('application/x-protobuf');
      expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=\w+\/\d{8}\/us-east-1\/xray\/aws4_request, /);
      expect(request.body.includes(Buffer.from('execute_tool lookup_order'))).toBe(true);
    }
  });

  it("CallModel sends the model call and, when the run ends, the run's span", async () => {
    const runId = 'run-bundle-traced-loop';
    await scriptedRun(runId, [{ text: 'Hello.' }]);
    expect(await invoke('CallModel', { runId }, toReceiver(), traced)).toEqual({ runId, done: true });
    const spans = receiver.received.filter((r) => r.path === '/collector/v1/traces').flatMap((r) => spanNamesOf(r.body));
    const ofRun = spans.filter((s) => s.traceId === runTraceIds(runId).traceId).map((s) => s.name);
    expect(ofRun).toEqual(expect.arrayContaining(['chat scripted', 'invoke_agent']));
  });

  it('leaves the tracing SDK out of the bundles of a deployment without tracing', async () => {
    const plain = await readFile((bundles.get('lookup_order') as { file: string }).file, 'utf8');
    const withTracing = await readFile((traced.get('lookup_order') as { file: string }).file, 'utf8');
    expect(withTracing).toContain('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    expect(plain).not.toContain('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    expect(plain).not.toContain('TRACES_TO_XRAY');
  });
});
