/**
 * `npm run bench`: what the guard pipeline costs, measured on dynalite in one process.
 *
 * 1. Latency: a bare handler (one DynamoDB read), the same tool fully guarded, and a naive guard
 *    (the same checks as separate reads and writes), interleaved call by call so that machine
 *    noise hits all three alike. Logs and EMF metrics are serialized as deployed, then discarded.
 * 2. DynamoDB requests and sequential round trips per call.
 * 4. Step Functions transitions per iteration for k = 1, 2, 3, local runs per second, every Lambda's
 *    bundle, and the cost of 1,000 iterations at list prices: written to docs/benchmarks.md.
 * 3. The `lookup_order` Lambda bundled by esbuild as deployed (infra/lambda-bundling.ts), its size
 *    with and without the SDK, the time to import it in a fresh Node process, and one real call
 *    of the bundle in that process against dynalite (the bundle works, not just loads).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbApprovalReader } from '#shared/approval/index.ts';
import { createDynamoDbClient } from '#shared/aws/index.ts';
import { createGuardedHandler, type GuardTables } from '#shared/pipeline/index.ts';
import { createEmbeddedTables, guardTableSpecs } from '#shared/tables/index.ts';
import { demoTableSpecs } from '#functions/demo-data/demo-tables.ts';
import { seedDemoData } from '#functions/demo-data/seed-demo-data.ts';
import { OrderStore } from '#functions/tools/lookup-order/order-store.ts';
import { lookupOrder } from '#functions/tools/lookup-order/tool.ts';
import { lambdaEsbuildOptions } from '../../infra/lambda-bundling.ts';
import { docSections } from '../../infra/docs-section.ts';
import { embeddedClientConfig } from '../../infra/local/embedded-aws.ts';
import { putDecidedApproval } from '../support/guard-harness.ts';
import { powertoolsIdempotent } from './powertools-idempotency.ts';
import { startEmbeddedDynamoDb } from '../support/embedded-dynamodb.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { naiveGuard } from './naive-guard.ts';
import { countRequests } from '../support/request-counter.ts';
import { allBundles, demoEntries, loopFigures, PRICES, tracedBundles } from './system-figures.ts';
import { CEDAR_WASM_KB, decisionFigures, policyBundles } from './policy-figures.ts';
import { measureMcpLabel } from './mcp-label.ts';
import { writeFileSync } from 'node:fs';
import { progressSteps } from '../../infra/progress-count.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1500);
const WARMUP = 200;
/** Calls timed with the network's latency added (fewer: each is slower). */
const LATENCY_ITERATIONS = Math.min(ITERATIONS, Number(process.env.BENCH_LATENCY_ITERATIONS ?? 500));
/** Milliseconds added to every DynamoDB request in the latency pass: a round trip within a Region. */
const LATENCY_MS = 2;
const GOALS = {
  policyDecisionMs: 0.1,
  ratio: 0.45,
  ratioWithLatency: 0.35,
  roundTrips: 3,
  bundleNoSdkKb: 64,
  bundleWithSdkKb: 450,
  importMs: 40,
};

process.env.POWERTOOLS_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'INFO';
if (!process.env.BENCH_NO_METRICS) delete process.env.POWERTOOLS_METRICS_DISABLED;
else process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const print = process.stdout.write.bind(process.stdout);
const muteStdout = () => {
  process.stdout.write = (() => true) as typeof process.stdout.write;
};
const unmuteStdout = () => {
  process.stdout.write = print;
};

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99) };
};
const ms = (n: number) => n.toFixed(2);

/** A client of the same engine whose every request waits `ms` first: the network a call crosses on AWS. */
const clientWithLatency = (endpoint: string, ms: number): DynamoDBClient => {
  const client = createDynamoDbClient(embeddedClientConfig(endpoint));
  client.middlewareStack.add((next) => async (args) => (await sleep(ms), next(args)), { step: 'finalizeRequest', name: 'benchLatency' });
  return client;
};

/** The handler variants on one client: bare, guarded (per risk class), the naive guard, Powertools idempotency alone. */
const variantsOn = (client: DynamoDBClient, tables: GuardTables & { approvals: string }, ordersTable: string) => {
  const orders = new OrderStore(client, ordersTable);
  // Limits large enough that the benchmark measures the cost of checking them, never a refusal.
  const tool = {
    ...lookupOrder,
    limits: { perUser: { capacity: 1e9, refillPerMinute: 1e9 }, perTool: { capacity: 1e9, refillPerMinute: 1e9 } },
  };
  const approvals = new DynamoDbApprovalReader({ client, tableName: tables.approvals });
  const guardedAs = (risk: 'read' | 'write' | 'destructive') =>
    createGuardedHandler({ tool: { ...tool, risk }, deps: { orders }, client, tables, approvals });
  return {
    tool,
    bare: async () => orders.get('ORD-104231'),
    guarded: guardedAs('read'),
    guardedWrite: guardedAs('write'),
    guardedDestructive: guardedAs('destructive'),
    naive: naiveGuard(tool, { orders }, client, tables),
    powertools: powertoolsIdempotent(
      async (event) => orders.get((event.arguments as { orderId: string }).orderId),
      client,
      tables.idempotency,
    ),
  };
};

let n = 0;
const eventOf = (extra: Record<string, unknown> = {}) => ({
  runId: 'bench-run',
  callId: `c${++n}`,
  tool: lookupOrder.name,
  caller: { userId: 'bench', groups: ['user', 'admin'] },
  arguments: { orderId: 'ORD-104231' },
  ...extra,
});
/** A destructive call with its decided approval recorded first (the approval flow's part, not timed). */
const approvedEvent = async (client: DynamoDBClient, approvalsTable: string) => {
  const event = eventOf();
  const approvalId = await putDecidedApproval(client, approvalsTable, {
    runId: event.runId,
    callId: event.callId,
    tool: event.tool,
    args: event.arguments,
    requestedBy: 'bench',
    decidedBy: 'pat',
  });
  return { ...event, approvalId };
};

const measureLatency = async () => {
  const db = await startEmbeddedDynamoDb();
  const guardNames = await createEmbeddedTables(db.client, Object.values(guardTableSpecs), 'bench-');
  const tables = {
    guard: guardNames[guardTableSpecs.guard.id] as string,
    idempotency: guardNames[guardTableSpecs.idempotency.id] as string,
    audit: guardNames[guardTableSpecs.audit.id] as string,
    approvals: guardNames[guardTableSpecs.approvals.id] as string,
  };
  const dataNames = await createEmbeddedTables(db.client, Object.values(demoTableSpecs), 'bench-');
  const ordersTable = dataNames[demoTableSpecs.orders.id] as string;
  await seedDemoData(db.client, { knowledgeBase: dataNames[demoTableSpecs.knowledgeBase.id] as string, orders: ordersTable });

  // Each variant on the engine as it is (CPU per request) and again with the network's latency
  // added to every request (round trips), interleaved call by call so that noise hits all alike.
  const slow = clientWithLatency(db.endpoint, LATENCY_MS);
  const on = { fast: variantsOn(db.client, tables, ordersTable), slow: variantsOn(slow, tables, ordersTable) };
  const timed = ['bare', 'guarded', 'naive', 'powertools'] as const;
  const samples = {
    fast: Object.fromEntries(timed.map((v) => [v, [] as number[]])),
    slow: Object.fromEntries(timed.map((v) => [v, [] as number[]])),
  } as Record<'fast' | 'slow', Record<(typeof timed)[number], number[]>>;
  muteStdout();
  try {
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      for (const speed of i < WARMUP + LATENCY_ITERATIONS ? (['fast', 'slow'] as const) : (['fast'] as const)) {
        for (const variant of timed) {
          const run = on[speed][variant];
          const t0 = performance.now();
          const result = (await run(eventOf(), lambdaContext())) as { ok?: boolean } | undefined;
          const elapsed = performance.now() - t0;
          if (variant !== 'bare' && result?.ok !== true) throw new Error(`${variant} call failed: ${JSON.stringify(result)}`);
          if (i >= WARMUP) samples[speed][variant].push(elapsed);
        }
      }
    }
  } finally {
    unmuteStdout();
  }

  // Requests and sequential round trips per call, counted through the client.
  const counter = countRequests(db.client);
  const requests: Record<string, { requests: number; roundTrips: number }> = {};
  const count = async (name: string, run: () => Promise<unknown>) => {
    counter.reset();
    await run();
    requests[name] = counter.read();
  };
  const fast = on.fast;
  muteStdout();
  await count('bare', () => fast.bare());
  await count('guarded', () => fast.guarded(eventOf(), lambdaContext()));
  await count('guardedWrite', () => fast.guardedWrite(eventOf(), lambdaContext()));
  const destructive = await approvedEvent(db.client, tables.approvals);
  await count('guardedDestructive', () => fast.guardedDestructive(destructive, lambdaContext()));
  await count('naive', () => fast.naive(eventOf(), lambdaContext()));
  await count('powertools', () => fast.powertools(eventOf(), lambdaContext()));
  // A cold container: a handler built afresh (no bucket hints, nothing cached), its first call.
  const cold = variantsOn(db.client, tables, ordersTable);
  await count('coldFirstCall', () => cold.guarded(eventOf(), lambdaContext()));
  unmuteStdout();
  slow.destroy();
  const timeBundles = await measureBundle(db.endpoint, {
    GUARD_TABLE: tables.guard,
    IDEMPOTENCY_TABLE: tables.idempotency,
    AUDIT_TABLE: tables.audit,
    ORDERS_TABLE: ordersTable,
  });
  await db.stop();
  return { samples, requests, bundle: timeBundles() };
};

const measureBundle = async (endpoint: string, tables: Record<string, string>) => {
  const outdir = join(process.cwd(), 'dist', 'bench');
  mkdirSync(outdir, { recursive: true });
  const entry = demoEntries().get(lookupOrder.name) as string;
  const withSdk = join(outdir, 'lookup-order.with-sdk.mjs');
  const noSdk = join(outdir, 'lookup-order.no-sdk.mjs');
  await build({ ...lambdaEsbuildOptions, entryPoints: [entry], outfile: withSdk, logLevel: 'silent' });
  await build({ ...lambdaEsbuildOptions, external: ['@aws-sdk/*'], entryPoints: [entry], outfile: noSdk, logLevel: 'silent' });
  const env = {
    ...process.env,
    ...tables,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const importMs = (file: string) => {
    const runs = Array.from({ length: 9 }, () =>
      Number(
        execFileSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`,
          ],
          { env, encoding: 'utf8', timeout: 30_000 },
        ).trim(),
      ),
    );
    return summary(runs).p50;
  };
  // One real invocation of the deployed bundle, in a fresh process, with credentials from the environment as in Lambda.
  // Asynchronous on purpose: dynalite answers from this process, so it must not be blocked.
  const smoke = (
    await promisify(execFile)(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
    const { handler } = await import(${JSON.stringify(pathToFileURL(withSdk).href)});
    const context = { awsRequestId: 'smoke', functionName: 'lookup-order', getRemainingTimeInMillis: () => 10000 };
    const result = await handler({ runId: 'smoke', callId: 'smoke-1', tool: 'lookup_order', caller: { userId: 'bench', groups: ['user'] }, arguments: { orderId: 'ORD-104231' } }, context);
    console.log(JSON.stringify(result));
    process.exit(0);`,
      ],
      { env, encoding: 'utf8', timeout: 30_000 },
    )
  ).stdout.trim();
  if (!smoke.startsWith('{"ok":true')) throw new Error(`the bundled handler did not answer a call: ${smoke}`);
  // Timed later, once dynalite is stopped, so that nothing else in this process competes for the CPU.
  return () => ({
    withSdk: { kb: statSync(withSdk).size / 1024, importMs: importMs(withSdk) },
    noSdk: { kb: statSync(noSdk).size / 1024, importMs: importMs(noSdk) },
  });
};

const progress = progressSteps(process.stderr);
progress.step('guard overhead: latency, requests, the bundle');
const { samples, requests, bundle } = await measureLatency();
/** p50/p90/p99 of each variant at one speed, and what each adds to the bare handler's p50. */
const figuresAt = (speed: 'fast' | 'slow') => {
  const at = Object.fromEntries(Object.entries(samples[speed]).map(([variant, values]) => [variant, summary(values)])) as Record<
    keyof (typeof samples)['fast'],
    ReturnType<typeof summary>
  >;
  const added = (variant: keyof typeof at) => at[variant].p50 - at.bare.p50;
  return { at, added, ratio: added('guarded') / added('naive') };
};
const fast = figuresAt('fast');
const slow = figuresAt('slow');
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const roundTripsByRisk = { read: requests.guarded, write: requests.guardedWrite, destructive: requests.guardedDestructive };
const roundTripsMet = Object.values(roundTripsByRisk).every((r) => (r?.roundTrips ?? Infinity) <= GOALS.roundTrips);
const counted = (name: string) => `${requests[name]?.requests} | ${requests[name]?.roundTrips}`;
const latencyTable = (label: string, f: typeof fast, iterations: number) => `### ${label} (${iterations} calls each, interleaved)

| handler | p50 ms | p90 ms | p99 ms | added p50 ms | DynamoDB requests | sequential round trips |
|---|---:|---:|---:|---:|---:|---:|
| bare (one read) | ${ms(f.at.bare.p50)} | ${ms(f.at.bare.p90)} | ${ms(f.at.bare.p99)} | - | ${counted('bare')} |
| guarded pipeline (every guard) | ${ms(f.at.guarded.p50)} | ${ms(f.at.guarded.p90)} | ${ms(f.at.guarded.p99)} | ${ms(f.added('guarded'))} | ${counted('guarded')} |
| Powertools idempotency alone (the peer) | ${ms(f.at.powertools.p50)} | ${ms(f.at.powertools.p90)} | ${ms(f.at.powertools.p99)} | ${ms(f.added('powertools'))} | ${counted('powertools')} |
| naive guard (a read and a write per check) | ${ms(f.at.naive.p50)} | ${ms(f.at.naive.p90)} | ${ms(f.at.naive.p99)} | ${ms(f.added('naive'))} | ${counted('naive')} |

Guard added p50 / naive added p50: **${f.ratio.toFixed(2)}**.`;
const guardSection = `${latencyTable('On dynalite as it is', fast, ITERATIONS)} Goal <= ${GOALS.ratio}: ${verdict(fast.ratio <= GOALS.ratio)}.

${latencyTable(`With ${LATENCY_MS} ms added to every DynamoDB request (the network on AWS)`, slow, LATENCY_ITERATIONS)} Goal <= ${GOALS.ratioWithLatency}: ${verdict(slow.ratio <= GOALS.ratioWithLatency)}.

### Requests and sequential round trips per guarded call, by risk class (counted through the client; the handler's one read included)

| risk class | DynamoDB requests | sequential round trips |
|---|---:|---:|
| read | ${counted('guarded')} |
| write | ${counted('guardedWrite')} |
| destructive (the approval read beside the claim and the tokens) | ${counted('guardedDestructive')} |
| Powertools idempotency alone, for comparison | ${counted('powertools')} |

Goal: at most ${GOALS.roundTrips} round trips for every risk class, no more than the peer's idempotency alone: ${verdict(roundTripsMet && Object.values(roundTripsByRisk).every((r) => (r?.roundTrips ?? Infinity) <= (requests.powertools?.roundTrips ?? 0)))}. A cold container's first call (a handler built afresh): ${counted('coldFirstCall').replace(' | ', ' requests in ')} round trips.`;

// The loop figures measure the system, not its logging: quiet from here on.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
progress.step('the loop: transitions, requests, local runs per second');
const loop = await loopFigures();
progress.step("MCP: the label's read");
const mcpLabel = await measureMcpLabel(LATENCY_ITERATIONS, LATENCY_MS);
progress.step("every Lambda's bundle");
const bundles = await allBundles();
progress.step('tracing: bundles and spans');
const traced = await tracedBundles();
progress.step('policies: decisions and bundles');
const policyDecisions = await decisionFigures();
const governed = await policyBundles();
progress.end();
/** The goals are a tool handler's: the loop's and the front door's functions are listed, not judged. */
const toolBundles = bundles.filter((b) => demoEntries().has(b.name) && !['CallModel', 'Api', 'Mcp', 'RequestApproval'].includes(b.name));
const k2 = loop.transitions[2] ?? 0;
const guardedRequests = requests.guarded?.requests ?? 0;
// Per 1,000 iterations at k = 2: Step Functions transitions, plus per tool call its DynamoDB requests (writes, as an upper bound) and Lambda invocations.
const cost = {
  stepFunctions: 1000 * k2 * PRICES.stepFunctionsPerTransition,
  peer: 1000 * (5 + 2 * 2) * PRICES.stepFunctionsPerTransition,
  dynamo: 1000 * 2 * (guardedRequests - 1) * PRICES.dynamoWritePerRequest,
  loop: 1000 * (loop.loopRequests[2] ?? 0) * PRICES.dynamoWritePerRequest,
  lambda: 1000 * (1 + 2) * PRICES.lambdaPerRequest,
};
const report = `# Benchmarks

Measured by \`npm run bench\` on this project's 2-core machine, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.

## Guard overhead

${guardSection}

## Step Functions transitions per iteration (the synthesized definition, run locally)

| calls in the iteration (k) | measured | goal 3 + k | the peer's 5 + 2k | the loop's own DynamoDB requests (CallModel) |
|---:|---:|---:|---:|---:|
${[1, 2, 3].map((k) => `| ${k} | ${loop.transitions[k]} | ${3 + k} | ${5 + 2 * k} | ${loop.loopRequests[k]} |`).join('\n')}

An iteration that answers (no calls) costs CallModel ${loop.answeringRequests} DynamoDB requests. Counted on dynalite, which has no transactions: there CallModel saves a step as a claim, a put per item (sent together) and the run record (3 requests for a step of one item); on AWS it is one \`TransactWriteItems\` (each item of a transaction is billed as two writes).

## Cost of 1,000 iterations at k = 2

| part | cost (USD) | from |
|---|---:|---|
| Step Functions | ${cost.stepFunctions.toFixed(4)} | ${k2} transitions x $0.025 per 1,000 (Standard) |
| the peer's loop, for comparison | ${cost.peer.toFixed(4)} | 9 transitions |
| DynamoDB (the guards' requests, counted as writes) | ${cost.dynamo.toFixed(4)} | 2 calls x ${guardedRequests - 1} requests x $0.625 per million (on-demand) |
| DynamoDB (the loop's own requests, counted as writes) | ${cost.loop.toFixed(4)} | ${loop.loopRequests[2]} requests (CallModel: the run record, the stored calls, the breakers; counted on dynalite, where a step's save is a claim, a put per item and the run record: on AWS one transaction) x $0.625 per million |
| Lambda requests | ${cost.lambda.toFixed(4)} | 3 invocations x $0.20 per million (compute time not included) |

List prices, US East (N. Virginia), as of ${PRICES.date}: Step Functions Standard $0.025 per 1,000 state transitions; DynamoDB on-demand $0.625 per million write and $0.125 per million read request units (since the November 2024 reduction); Lambda $0.20 per million requests. Model tokens come on top.

## Every Lambda, bundled as deployed (infra/lambda-bundling.ts)

| function | size KB | import in a fresh process, p50 ms |
|---|---:|---:|
${bundles.map((b) => `| ${b.name} | ${b.kb.toFixed(1)} | ${ms(b.importMs)} |`).join('\n')}

Goals for a tool handler: <= 450 KB with the SDK (${
  toolBundles.every((b) => b.kb <= GOALS.bundleWithSdkKb)
    ? 'met by every tool'
    : `MISSED by ${toolBundles
        .filter((b) => b.kb > GOALS.bundleWithSdkKb)
        .map((b) => b.name)
        .join(', ')}`
}), import <= 40 ms (lookup_order: ${verdict(bundle.withSdk.importMs <= GOALS.importMs)}), <= 64 KB without the SDK (lookup_order ${bundle.noSdk.kb.toFixed(1)} KB: ${verdict(bundle.noSdk.kb <= GOALS.bundleNoSdkKb)}).

## Tracing (OpenTelemetry, docs/tracing.md)

What turning tracing on adds to a function (the SDK registered at import, spans to X-Ray's OTLP endpoint), bundled as deployed:

| function | size KB, tracing off | size KB, tracing on | added KB | import p50 ms, off | import p50 ms, on | added ms |
|---|---:|---:|---:|---:|---:|---:|
${traced
  .map((t) => {
    const plain = bundles.find((b) => b.name === t.name);
    return `| ${t.name} | ${plain?.kb.toFixed(1)} | ${t.kb.toFixed(1)} | ${(t.kb - (plain?.kb ?? 0)).toFixed(1)} | ${ms(plain?.importMs ?? 0)} | ${ms(t.importMs)} | ${ms(t.importMs - (plain?.importMs ?? 0))} |`;
  })
  .join('\n')}

Spans a run makes (one iteration asking for k calls of lookup_order, then the answer; content off), and their size as JSON, which is close to what X-Ray's span log group \`aws/spans\` ingests:

| k | spans per run | bytes per run | per 1,000 runs |
|---:|---:|---:|---:|
${[1, 2, 3].map((k) => `| ${k} | ${loop.traces[k]?.spans} | ${loop.traces[k]?.bytes} | ${(((loop.traces[k]?.bytes ?? 0) * 1000) / 1024 / 1024).toFixed(1)} MB |`).join('\n')}

Spans sent to X-Ray are billed as span ingestion into \`aws/spans\` (see Amazon CloudWatch pricing, "Transaction Search"); multiply the MB above by the list price of your Region. Tracing off (the default) costs nothing: no SDK in the bundles, no spans.

## Policies (Cedar, docs/policies.md)

A decision on a warm set of ${policyDecisions.policies} policies of every kind (arguments, label, time, groups, approvals, shadow) over the demo tools, ${policyDecisions.iterations} decisions of five requests in turn (each tool's part of the set is prepared apart, and Cedar is sent only what its policies read):

| p50 ms | p90 ms | p99 ms | compiling the set (at cold start) ms |
|---:|---:|---:|---:|
| ${policyDecisions.p50.toFixed(3)} | ${policyDecisions.p90.toFixed(3)} | ${policyDecisions.p99.toFixed(3)} | ${ms(policyDecisions.compileMs)} |

Goal: at most ${GOALS.policyDecisionMs} ms p50 with 50 policies: ${verdict(policyDecisions.p50 <= GOALS.policyDecisionMs)}.

What evaluating policies adds to a function (generated for a deployment with policies, bundled as deployed; the import compiles the policies, loading Cedar's WebAssembly, which ships beside the bundle: ${CEDAR_WASM_KB.toFixed(0)} KB in the asset, outside the bundle). A tool no policy names, and every function of a deployment without policies, is unchanged:

| function | bundle KB, no policies | bundle KB, with policies | import p50 ms, no policies | import p50 ms, with policies | added ms |
|---|---:|---:|---:|---:|---:|
${governed
  .map((g) => {
    const plain = bundles.find((b) => b.name === g.name);
    return `| ${g.name} | ${plain?.kb.toFixed(1)} | ${g.kb.toFixed(1)} | ${ms(plain?.importMs ?? 0)} | ${ms(g.importMs)} | ${ms(g.importMs - (plain?.importMs ?? 0))} |`;
  })
  .join('\n')}

## MCP: the information-flow check of a sink's call

Over MCP the label follows the user (docs/policies.md, "Sources and sinks"): a sink's call reads the user's label in one strongly consistent \`GetItem\`. What that read costs, with ${LATENCY_MS} ms before every request as the network adds on AWS (${LATENCY_ITERATIONS} reads each, interleaved), against the read it replaced (the session's own audit trail, a query that grows with the session; here 20 records):

| read | p50 ms | p90 ms |
|---|---:|---:|
| the user's label (one GetItem) | ${ms(mcpLabel.label.p50)} | ${ms(mcpLabel.label.p90)} |
| the session's audit trail (before) | ${ms(mcpLabel.sessionTrail.p50)} | ${ms(mcpLabel.sessionTrail.p90)} |

Only calls to sinks (\`reaches: 'external'\`) read it; a call that brings untrusted content in adds one \`UpdateItem\` (two when a label already holds and is extended).

## Local mode

${loop.runsPerSecond.toFixed(1)} runs per second (demo model: one tool call, then the answer; 4 at a time) on the local system.
`;
// The sections other runs write (npm run sim, npm run bench:agentdojo, with and without policies): kept as they are.
const others = docSections(readFileSync('docs/benchmarks.md', 'utf8')).join('\n\n');
writeFileSync('docs/benchmarks.md', others ? `${report}\n${others}\n` : report);

print(`
## Guard overhead (Node ${process.version})

${guardSection}

## lookup_order Lambda bundle (esbuild, minified ESM, node24)

| build | size KB | import in a fresh process, p50 ms | goal |
|---|---:|---:|---|
| AWS SDK bundled, lazy credential providers left to the runtime (as deployed; one real call checked) | ${bundle.withSdk.kb.toFixed(1)} | ${ms(bundle.withSdk.importMs)} | <= ${GOALS.bundleWithSdkKb} KB: ${verdict(bundle.withSdk.kb <= GOALS.bundleWithSdkKb)}; <= ${GOALS.importMs} ms: ${verdict(bundle.withSdk.importMs <= GOALS.importMs)} |
| AWS SDK external | ${bundle.noSdk.kb.toFixed(1)} | ${ms(bundle.noSdk.importMs)} (SDK from node_modules) | <= ${GOALS.bundleNoSdkKb} KB: ${verdict(bundle.noSdk.kb <= GOALS.bundleNoSdkKb)} |
`);
