/**
 * The guard's latency (`npm run bench`, part 1 and 2): a bare handler (one DynamoDB read), the same
 * tool fully guarded, a naive guard (the same checks as separate reads and writes) and Powertools'
 * idempotency alone, interleaved call by call so that machine noise hits all alike, on dynalite as
 * it is and with a round trip's latency added to every request; then the requests and sequential
 * round trips of each per call, counted through the client. Logs and EMF metrics are serialized as
 * deployed, then discarded.
 */
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
import { embeddedClientConfig } from '../../infra/local/embedded-aws.ts';
import { putDecidedApproval } from '../support/guard-harness.ts';
import { startEmbeddedDynamoDb } from '../support/embedded-dynamodb.ts';
import { lambdaContext } from '../support/lambda-context.ts';
import { countRequests } from '../support/request-counter.ts';
import { measureHandlerBundle } from './handler-bundle.ts';
import { naiveGuard } from './naive-guard.ts';
import { powertoolsIdempotent } from './powertools-idempotency.ts';

export const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 1500);
const WARMUP = 200;
/** Calls timed with the network's latency added (fewer: each is slower). */
export const LATENCY_ITERATIONS = Math.min(ITERATIONS, Number(process.env.BENCH_LATENCY_ITERATIONS ?? 500));
/** Milliseconds added to every DynamoDB request in the latency pass: a round trip within a Region. */
export const LATENCY_MS = 2;

// The handlers log as deployed; what they write is discarded while they are timed.
const print = process.stdout.write.bind(process.stdout);
const muteStdout = () => {
  process.stdout.write = (() => true) as typeof process.stdout.write;
};
const unmuteStdout = () => {
  process.stdout.write = print;
};

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

export const measureGuard = async () => {
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
  const timeBundles = await measureHandlerBundle(db.endpoint, {
    GUARD_TABLE: tables.guard,
    IDEMPOTENCY_TABLE: tables.idempotency,
    AUDIT_TABLE: tables.audit,
    ORDERS_TABLE: ordersTable,
  });
  await db.stop();
  return { samples, requests, bundle: timeBundles() };
};
