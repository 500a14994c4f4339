import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { createTemplateApp } from '../../infra/cdk-app.ts';
import { LoopTask } from '../../infra/guarded-agent/agent-loop.ts';
import { GuardedAgentsStack } from '../../infra/guarded-agents-stack.ts';
import { lambdaEsbuildOptions } from '../../infra/lambda-bundling.ts';
import { startDemoSystem } from '../../infra/local/demo-app.ts';
import { summary } from './bench-stats.ts';

/** List prices used for the cost line (US East, N. Virginia). */
export const PRICES = {
  date: '2026-11-24',
  stepFunctionsPerTransition: 0.025 / 1000,
  dynamoWritePerRequest: 0.625 / 1_000_000,
  dynamoReadPerRequest: 0.125 / 1_000_000,
  lambdaPerRequest: 0.2 / 1_000_000,
} as const;

/** Each function's Lambda entry as GuardedAgent generates it for the demo stack (every tool deployed). */
export const demoEntries = (): ReadonlyMap<string, string> =>
  new GuardedAgentsStack(createTemplateApp(), 'Bench', { senderEmail: 'agent@example.com' }).agent.entries;

/** Every variable any entry reads at cold start; values do not matter for an import. */
const BUNDLE_ENV = {
  AWS_REGION: 'us-east-1',
  GUARD_TABLE: 'g',
  IDEMPOTENCY_TABLE: 'i',
  AUDIT_TABLE: 'a',
  APPROVALS_TABLE: 'p',
  RUNS_TABLE: 'r',
  ORDERS_TABLE: 'o',
  KNOWLEDGE_BASE_TABLE: 'k',
  TICKETS_TABLE: 't',
  ANNOUNCEMENTS_TABLE: 'n',
  DOCUMENTS_BUCKET: 'b',
  SENDER_EMAIL: 'agent@example.com',
  TOOL_FUNCTIONS: '{}',
  BEDROCK_MODEL_ID: 'amazon.nova-lite-v1:0',
  APPROVAL_TIMEOUT_SECONDS: '60',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:x',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

/**
 * One entry bundled as deployed: its size, and the median of 5 imports in a fresh process. Modules
 * in `external` stay out of the bundle as the asset ships them beside it (Cedar's bindings); here
 * they resolve from the repository's node_modules.
 */
export const measureEntry = async (
  name: string,
  entry: string,
  outdir: string,
  extraEnv: Record<string, string> = {},
  external: readonly string[] = [],
) => {
  const outfile = join(outdir, `${name}.mjs`);
  await build({
    ...lambdaEsbuildOptions,
    external: [...lambdaEsbuildOptions.external, ...external],
    entryPoints: [entry],
    outfile,
    logLevel: 'silent',
  });
  const times = Array.from({ length: 5 }, () =>
    Number(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(outfile).href)}); console.log(performance.now() - t); process.exit(0);`,
        ],
        { env: { ...process.env, ...BUNDLE_ENV, ...extraEnv }, encoding: 'utf8', timeout: 30_000 },
      ).trim(),
    ),
  );
  return { name, kb: statSync(outfile).size / 1024, importMs: summary(times).p50 };
};

/** Every Lambda of the app, bundled as deployed: size and import time in a fresh process. */
export const allBundles = async () => {
  const outdir = join(process.cwd(), 'dist', 'bench', 'all');
  mkdirSync(outdir, { recursive: true });
  const rows: Array<{ name: string; kb: number; importMs: number }> = [];
  for (const [name, entry] of demoEntries()) rows.push(await measureEntry(name, entry, outdir));
  return rows;
};

/**
 * What tracing adds to a function: lookup_order and CallModel generated with tracing on (the SDK
 * registered at import, spans to X-Ray), bundled and imported as deployed.
 */
export const tracedBundles = async () => {
  const outdir = join(process.cwd(), 'dist', 'bench', 'traced');
  mkdirSync(outdir, { recursive: true });
  const entries = new GuardedAgentsStack(createTemplateApp(), 'BenchTraced', { senderEmail: 'agent@example.com', tracing: { xray: true } })
    .agent.entries;
  const env = { TRACES_TO_XRAY: 'true', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };
  return [
    await measureEntry('lookup_order', entries.get('lookup_order') as string, outdir, env),
    await measureEntry('CallModel', entries.get('CallModel') as string, outdir, env),
  ];
};

/** States entered by the first iteration of a run whose model asks for k calls, and local runs per second. */
export const loopFigures = async () => {
  const system = await startDemoSystem({});
  let n = 0;
  const run = async (owner: string, turns?: unknown[]) => {
    const runId = `run-bench-${++n}`;
    const now = new Date().toISOString();
    await system.runs.create({
      runId,
      owner,
      groups: ['user'],
      input: 'How do I return an item?',
      maxIterations: 10,
      iteration: 0,
      status: 'RUNNING',
      createdAt: now,
      updatedAt: now,
      ...(turns ? { script: { provider: 'scripted', turns: turns as never } } : {}),
    });
    await system.deps.startExecution(runId);
    await system.executions.get(runId)?.finished;
    return system.executions.get(runId)?.states ?? [];
  };
  const transitions: Record<number, number> = {};
  /**
   * CallModel's own DynamoDB requests (the run record, the stored calls, the breakers, the audit of
   * refusals) in an iteration that asks for k calls: a run of that iteration and an answer, less a
   * run that answers at once (the answering iteration, also reported).
   */
  const loopRequests: Record<number, number> = {};
  const traces: Record<number, { spans: number; bytes: number }> = {};
  let answering = 0;
  const callModelRequests = () => system.requestCounts().get(LoopTask.CALL_MODEL) ?? 0;
  const requestsOf = async (runOnce: () => Promise<unknown>) => {
    const before = callModelRequests();
    await runOnce();
    return callModelRequests() - before;
  };
  // A first run, not counted: the system's first step learns what the engine offers (dynalite: no transactions).
  await run('bench-first', [{ text: 'ok' }]);
  for (const k of [1, 2, 3]) {
    const calls = Array.from({ length: k }, () => ({ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }));
    let states: string[] = [];
    const whole = await requestsOf(async () => (states = await run(`bench-k${k}`, [{ toolCalls: calls }, { text: 'ok' }])));
    // The run's trace: how many spans a run of one iteration with k calls (and an answer) makes, and their size as JSON.
    const spans = system.traceOf(`run-bench-${n}`);
    traces[k] = { spans: spans.length, bytes: Buffer.byteLength(JSON.stringify(spans)) };
    transitions[k] = states.indexOf('CallModel', 1);
    answering = await requestsOf(() => run(`bench-answer-${k}`, [{ text: 'ok' }]));
    loopRequests[k] = whole - answering;
  }
  // Timed after a warm-up round (the first runs of a process pay for compiling): a cold first
  // round made the figure swing by a fifth between runs of the same code.
  const round = async (total: number, tag: string) => {
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < total) await run(`bench-${tag}-${next++}`);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return total / ((performance.now() - started) / 1000);
  };
  await round(40, 'warm');
  const runsPerSecond = await round(200, 'user');
  await system.stop();
  return { transitions, loopRequests, answeringRequests: answering, runsPerSecond, traces };
};
