/**
 * What `npm run bench` writes: the head of docs/benchmarks.md (the guard, the loop, its cost, the
 * bundles, tracing, policies, MCP's label, local mode), and the summary it prints, with each figure
 * judged against its goal.
 */
import type { measureGuard } from './guard-latency.ts';
import type { measureMcpLabel } from './mcp-label.ts';
import { CEDAR_WASM_KB, type decisionFigures, type policyBundles } from './policy-figures.ts';
import { demoEntries, PRICES, type allBundles, type loopFigures, type tracedBundles } from './system-figures.ts';
import { ms, summary } from './bench-stats.ts';

export const GOALS = {
  policyDecisionMs: 0.1,
  ratio: 0.45,
  ratioWithLatency: 0.35,
  roundTrips: 3,
  bundleNoSdkKb: 64,
  bundleWithSdkKb: 450,
  importMs: 40,
};

type GuardFigures = Awaited<ReturnType<typeof measureGuard>>;
type Requests = GuardFigures['requests'];

/** What the whole run measured, as the report reads it. */
export interface BenchFigures {
  readonly guard: GuardFigures;
  readonly iterations: { readonly fast: number; readonly slow: number; readonly latencyMs: number };
  readonly loop: Awaited<ReturnType<typeof loopFigures>>;
  readonly mcpLabel: Awaited<ReturnType<typeof measureMcpLabel>>;
  readonly bundles: Awaited<ReturnType<typeof allBundles>>;
  readonly traced: Awaited<ReturnType<typeof tracedBundles>>;
  readonly policyDecisions: Awaited<ReturnType<typeof decisionFigures>>;
  readonly governed: Awaited<ReturnType<typeof policyBundles>>;
}

/** p50/p90/p99 of each variant at one speed, and what each adds to the bare handler's p50. */
const figuresAt = (samples: GuardFigures['samples'], speed: 'fast' | 'slow') => {
  const at = Object.fromEntries(Object.entries(samples[speed]).map(([variant, values]) => [variant, summary(values)])) as Record<
    keyof GuardFigures['samples']['fast'],
    ReturnType<typeof summary>
  >;
  const added = (variant: keyof typeof at) => at[variant].p50 - at.bare.p50;
  return { at, added, ratio: added('guarded') / added('naive') };
};
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** The guard's section: its latency on dynalite as it is and with the network's latency, and its round trips by risk class. */
export const guardSection = ({ guard: { samples, requests }, iterations }: Pick<BenchFigures, 'guard' | 'iterations'>) => {
  const fast = figuresAt(samples, 'fast');
  const slow = figuresAt(samples, 'slow');
  const roundTripsByRisk = { read: requests.guarded, write: requests.guardedWrite, destructive: requests.guardedDestructive };
  const roundTripsMet = Object.values(roundTripsByRisk).every((r) => (r?.roundTrips ?? Infinity) <= GOALS.roundTrips);
  const counted = countedIn(requests);
  const latencyTable = (label: string, f: typeof fast, iterations: number) => `### ${label} (${iterations} calls each, interleaved)

| handler | p50 ms | p90 ms | p99 ms | added p50 ms | DynamoDB requests | sequential round trips |
|---|---:|---:|---:|---:|---:|---:|
| bare (one read) | ${ms(f.at.bare.p50)} | ${ms(f.at.bare.p90)} | ${ms(f.at.bare.p99)} | - | ${counted('bare')} |
| guarded pipeline (every guard) | ${ms(f.at.guarded.p50)} | ${ms(f.at.guarded.p90)} | ${ms(f.at.guarded.p99)} | ${ms(f.added('guarded'))} | ${counted('guarded')} |
| Powertools idempotency alone (the peer) | ${ms(f.at.powertools.p50)} | ${ms(f.at.powertools.p90)} | ${ms(f.at.powertools.p99)} | ${ms(f.added('powertools'))} | ${counted('powertools')} |
| naive guard (a read and a write per check) | ${ms(f.at.naive.p50)} | ${ms(f.at.naive.p90)} | ${ms(f.at.naive.p99)} | ${ms(f.added('naive'))} | ${counted('naive')} |

Guard added p50 / naive added p50: **${f.ratio.toFixed(2)}**.`;
  return `${latencyTable('On dynalite as it is', fast, iterations.fast)} Goal <= ${GOALS.ratio}: ${verdict(fast.ratio <= GOALS.ratio)}.

${latencyTable(`With ${iterations.latencyMs} ms added to every DynamoDB request (the network on AWS)`, slow, iterations.slow)} Goal <= ${GOALS.ratioWithLatency}: ${verdict(slow.ratio <= GOALS.ratioWithLatency)}.

### Requests and sequential round trips per guarded call, by risk class (counted through the client; the handler's one read included)

| risk class | DynamoDB requests | sequential round trips |
|---|---:|---:|
| read | ${counted('guarded')} |
| write | ${counted('guardedWrite')} |
| destructive (the approval read beside the claim and the tokens) | ${counted('guardedDestructive')} |
| Powertools idempotency alone, for comparison | ${counted('powertools')} |

Goal: at most ${GOALS.roundTrips} round trips for every risk class, no more than the peer's idempotency alone: ${verdict(roundTripsMet && Object.values(roundTripsByRisk).every((r) => (r?.roundTrips ?? Infinity) <= (requests.powertools?.roundTrips ?? 0)))}. A cold container's first call (a handler built afresh): ${counted('coldFirstCall').replace(' | ', ' requests in ')} round trips.`;
};

const countedIn = (requests: Requests) => (name: string) => `${requests[name]?.requests} | ${requests[name]?.roundTrips}`;

/** docs/benchmarks.md's sections that `npm run bench` writes, with the guard's section given. */
export const benchmarksReport = (figures: BenchFigures, guard: string) => {
  const {
    guard: { requests, bundle },
    loop,
    mcpLabel,
    bundles,
    traced,
    policyDecisions,
    governed,
  } = figures;
  const { latencyMs: LATENCY_MS, slow: LATENCY_ITERATIONS } = figures.iterations;
  const guardSection = guard;
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
  return report;
};

/** What the run prints: the guard's section and the lookup_order bundle against its goals. */
export const terminalSummary = (guard: string, bundle: GuardFigures['bundle']) => `
## Guard overhead (Node ${process.version})

${guard}

## lookup_order Lambda bundle (esbuild, minified ESM, node24)

| build | size KB | import in a fresh process, p50 ms | goal |
|---|---:|---:|---|
| AWS SDK bundled, lazy credential providers left to the runtime (as deployed; one real call checked) | ${bundle.withSdk.kb.toFixed(1)} | ${ms(bundle.withSdk.importMs)} | <= ${GOALS.bundleWithSdkKb} KB: ${verdict(bundle.withSdk.kb <= GOALS.bundleWithSdkKb)}; <= ${GOALS.importMs} ms: ${verdict(bundle.withSdk.importMs <= GOALS.importMs)} |
| AWS SDK external | ${bundle.noSdk.kb.toFixed(1)} | ${ms(bundle.noSdk.importMs)} (SDK from node_modules) | <= ${GOALS.bundleNoSdkKb} KB: ${verdict(bundle.noSdk.kb <= GOALS.bundleNoSdkKb)} |
`;
