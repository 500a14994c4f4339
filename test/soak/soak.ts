/**
 * `npm run soak`: memory on a long run, from outside. Starts `npm start` as a process of its own
 * (with DATA_DIR unless SOAK_IN_MEMORY=1), then makes RUNS one-call scripted runs over HTTP as
 * 400 users, 8 at a time (SOAK_CONCURRENCY), and prints the server's resident memory every 500 runs. Then, in this
 * process, invokes the lookup_order pipeline and CallModel 10,000 times each, warm, and prints the
 * heap after a GC every 2,000, as a warm Lambda container would see it.
 *
 *   RUNS=5000 npm run soak
 *
 * It stops by itself (bounded counts and a 20-minute cap) and talks to 127.0.0.1 only.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { progressSteps } from '../../infra/progress-count.ts';

// This process's own handlers (the second part) log nothing, emit no metrics and keep no spans: a
// Lambda container exports its spans as it goes, where local mode keeps the recent ones for the
// console (up to 200 traces of 2,000 spans each), which would count here as the handlers' growth.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { OTEL_SDK_DISABLED: _tracingAsSet, ...serverEnv } = process.env;
process.env.OTEL_SDK_DISABLED = 'true';
const REPO = join(import.meta.dirname, '..', '..');
const RUNS = Number(process.env.RUNS ?? 5000);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 8);
const USERS = 400;
const DEADLINE = Date.now() + 20 * 60_000;

/**
 * On a terminal, how far each part has got, on one line rewritten in place (cleared before each row
 * of the report). In a log, nothing: the rows are its lines.
 */
const live = process.stderr.isTTY ? progressSteps(process.stderr) : undefined;
const row = (text: string) => {
  live?.end();
  console.log(text);
};

const rssMb = async (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const soakServer = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'guarded-agents-soak-'));
  const usersFile = join(dir, 'users.json');
  await writeFile(
    usersFile,
    JSON.stringify(Array.from({ length: USERS }, (_, i) => ({ token: `soak-token-${i}`, userId: `soak${i}`, groups: ['user'] }))),
  );
  // The server as npm start runs it: tracing as the environment had it.
  const env = {
    ...serverEnv,
    PORT: '0',
    LOCAL_USERS_FILE: usersFile,
    ...(process.env.SOAK_IN_MEMORY ? {} : { DATA_DIR: join(dir, 'data') }),
  };
  const child = spawn(join(REPO, 'node_modules', '.bin', 'node'), [join(REPO, 'infra', 'local', 'server.ts')], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /guarded-agents local: (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1] && out.includes('Console:')) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const script = {
    provider: 'scripted',
    turns: [{ toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104233' } }] }, { text: 'It shipped.' }],
  };
  const post = async (i: number): Promise<string> => {
    for (;;) {
      const response = await fetch(`${base}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer soak-token-${i % USERS}`, 'content-type': 'application/json' },
        body: JSON.stringify({ input: 'Where is my order?', model: script }),
      });
      const body = (await response.json()) as { runId?: string };
      if (response.status === 202 && body.runId) return body.runId;
      if (response.status !== 429 || Date.now() > DEADLINE) throw new Error(`POST /runs answered ${response.status}`);
      await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000));
    }
  };
  const finish = async (runId: string, i: number) => {
    for (;;) {
      const run = (await (
        await fetch(`${base}/runs/${runId}`, { headers: { authorization: `Bearer soak-token-${i % USERS}` } })
      ).json()) as { status: string };
      if (run.status === 'SUCCEEDED') return true;
      if (run.status === 'FAILED' || run.status === 'MAX_ITERATIONS') return false;
      if (Date.now() > DEADLINE) throw new Error('soak deadline passed');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  console.log(
    `# Soak: ${RUNS} one-call runs over HTTP, ${USERS} users, ${CONCURRENCY} at a time, ${process.env.SOAK_IN_MEMORY ? 'in memory' : 'DATA_DIR'}\n`,
  );
  console.log('| runs | server RSS MB | failed so far | runs/s |');
  console.log('|---:|---:|---:|---:|');
  let next = 0;
  let done = 0;
  let failed = 0;
  const started = Date.now();
  const marks = new Map<number, number>();
  const worker = async () => {
    while (next < RUNS) {
      const i = next++;
      if (!(await finish(await post(i), i))) failed++;
      const at = ++done;
      live?.step(`${at} of ${RUNS} runs`);
      if (at % 500 === 0) {
        const rss = await rssMb(child.pid as number);
        marks.set(at, rss);
        row(`| ${at} | ${rss.toFixed(0)} | ${failed} | ${(at / ((Date.now() - started) / 1000)).toFixed(1)} |`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await rm(dir, { recursive: true, force: true });
  const first = marks.get(500);
  const last = marks.get(Math.floor(RUNS / 500) * 500);
  if (first !== undefined && last !== undefined)
    console.log(
      `\nRSS after ${Math.floor(RUNS / 500) * 500} runs - after 500: ${(last - first).toFixed(0)} MB (goal: within 100 MB); runs failed: ${failed}`,
    );
  return { growthMb: first !== undefined && last !== undefined ? last - first : 0, failed };
};

const soakHandlers = async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heapMb = () => (gc(), gc(), process.memoryUsage().heapUsed / 1024 / 1024);
  // The engine runs in a process of its own, so this heap holds the handlers and their clients, not the data.
  const engine = spawn(
    join(REPO, 'node_modules', '.bin', 'node'),
    [
      '-e',
      "Promise.all([import('./infra/local/patched-dynalite.ts'), import('./infra/local/condition-failure-item.ts')]).then(([{ dynalite }, { giveItemOnConditionFailure }]) => { giveItemOnConditionFailure(); const s = dynalite({ createTableMs: 0 }); s.listen(0, '127.0.0.1', () => console.log(s.address().port)); })",
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) => engine.stdout.once('data', (c: Buffer) => resolve(c.toString().trim())));
  const { startDemoSystem } = await import('../../infra/local/demo-app.ts');
  const { toolCatalog } = await import('../../functions/tools/catalog.ts');
  // Limits high enough that every invocation runs the whole pipeline and the handler, not the throttle path.
  const unlimited = { capacity: 1_000_000, refillPerMinute: 1_000_000 };
  const tools = toolCatalog.tools.map((t) =>
    t.name === 'lookup_order' ? { ...t, limits: { perUser: unlimited, perTool: unlimited } } : t,
  );
  const system = await startDemoSystem({ dynamoDbEndpoint: `http://127.0.0.1:${port}`, tools });
  const handler = system.tools.lookup_order!;
  const context = { awsRequestId: 'soak', functionName: 'lookup_order', getRemainingTimeInMillis: () => 30_000 } as never;
  console.log('\n# Warm handlers, 10,000 invocations each (heap after GC)\n');
  console.log('| invocations | lookup_order pipeline heap MB |');
  console.log('|---:|---:|');
  const heap: number[] = [];
  for (let i = 1; i <= 10_000; i++) {
    const answer = (await handler(
      {
        runId: `run-soak-h${i % 50}`,
        callId: `c${i}`,
        tool: 'lookup_order',
        caller: { userId: `soak${i % 400}`, groups: ['user'] },
        arguments: { orderId: 'ORD-104233' },
      },
      context,
    )) as { ok: boolean };
    if (!answer.ok) throw new Error(`invocation ${i} failed: ${JSON.stringify(answer)}`);
    if (i % 100 === 0) live?.step(`${i} of 10,000 invocations`);
    if (i % 2000 === 0) {
      heap.push(heapMb());
      row(`| ${i} | ${heap.at(-1)?.toFixed(1)} |`);
    }
  }
  console.log('\n| invocations | CallModel heap MB |');
  console.log('|---:|---:|');
  const loopHeap: number[] = [];
  for (let i = 1; i <= 10_000; i++) {
    const runId = `run-soak-m${i}`;
    const now = new Date().toISOString();
    await system.runs.create({
      runId,
      owner: `soak${i % 400}`,
      groups: ['user'],
      input: 'hi',
      maxIterations: 3,
      iteration: 0,
      status: 'RUNNING',
      script: { provider: 'scripted', turns: [{ text: 'Hello.' }] },
      createdAt: now,
      updatedAt: now,
    });
    const state = await system.callModel({ runId });
    if (!state.done) throw new Error(`CallModel ${i} did not end the run`);
    if (i % 100 === 0) live?.step(`${i} of 10,000 CallModel steps`);
    if (i % 2000 === 0) {
      loopHeap.push(heapMb());
      row(`| ${i} | ${loopHeap.at(-1)?.toFixed(1)} |`);
    }
  }
  console.log(`\nCallModel heap after 10,000 - after 2,000: ${((loopHeap.at(-1) ?? 0) - (loopHeap[0] ?? 0)).toFixed(1)} MB`);
  await system.stop();
  engine.kill('SIGTERM');
  console.log(`\nHeap after 10,000 - after 2,000: ${((heap.at(-1) ?? 0) - (heap[0] ?? 0)).toFixed(1)} MB`);
};

await soakServer();
await soakHandlers();
process.exit(0);
