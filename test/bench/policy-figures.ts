import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toolCatalog } from '../../functions/tools/catalog.ts';
import { createTemplateApp } from '../../infra/cdk-app.ts';
import { GuardedAgentsStack } from '../../infra/guarded-agents-stack.ts';
import { compilePolicies, type PolicyRequest } from '../../shared/policies/index.ts';
import { summary } from './bench-stats.ts';
import { measureEntry } from './system-figures.ts';

/** Cedar's WebAssembly file, shipped beside the bundles that evaluate policies. */
export const CEDAR_WASM_KB =
  statSync(join(dirname(createRequire(import.meta.url).resolve('@cedar-policy/cedar-wasm/nodejs')), 'cedar_wasm_bg.wasm')).size / 1024;

/** 50 policies over the demo tools, of every kind the docs show: arguments, label, time, groups, approvals, shadow. */
export const fiftyPolicies = (): string =>
  Array.from({ length: 50 }, (_, i) => {
    const kinds = [
      `@id("p${i}")\nforbid (principal, action == GuardedAgents::Action::"lookup_order", resource)\nwhen { context.arguments.orderId == "ORD-${String(100000 + i)}" };`,
      `@id("p${i}")\n@approval\nforbid (principal, action == GuardedAgents::Action::"send_email", resource)\nunless { context.arguments.to like "*@example${i}.com" };`,
      `@id("p${i}")\nforbid (principal, action == GuardedAgents::Action::"fetch_url", resource)\nwhen { context.label.untrusted && context.arguments.url like "*/${i}/*" };`,
      `@id("p${i}")\nforbid (principal, action in [GuardedAgents::Action::"delete_document", GuardedAgents::Action::"publish_announcement"], resource)\nwhen { context.time.hour == ${i % 24} && !principal.groups.contains("admin") };`,
      `@id("p${i}")\n@mode("shadow")\nforbid (principal, action == GuardedAgents::Action::"create_ticket", resource)\nwhen { context.arguments.priority == "urgent" && context.arguments.title like "*${i}*" };`,
    ];
    return kinds[i % kinds.length];
  }).join('\n\n');

/** A decision's time on a warm set of 50 policies (the requests vary: each tool, label on and off). */
export const decisionFigures = async (iterations = 5000) => {
  const tools = toolCatalog.tools;
  const compileStart = performance.now();
  const set = await compilePolicies([{ file: 'bench.cedar', text: fiftyPolicies() }], tools);
  const compileMs = performance.now() - compileStart;
  const requests: PolicyRequest[] = [
    { tool: 'lookup_order', arguments: { orderId: 'ORD-100010' } },
    { tool: 'send_email', arguments: { to: 'jane@example.com', subject: 's', body: 'b' } },
    { tool: 'fetch_url', arguments: { url: 'https://example.com/3/x' } },
    { tool: 'delete_document', arguments: { path: 'a.md' } },
    { tool: 'create_ticket', arguments: { title: 'Printer 4', description: 'It jams.', priority: 'urgent' } },
  ].map((r, i) => ({
    ...r,
    userId: 'uma',
    groups: ['user'],
    runId: 'run-bench',
    untrusted: i % 2 === 0 ? { tool: 'read_document', callId: 'c1-1' } : null,
    now: new Date('2026-12-07T10:00:00Z'),
  }));
  for (let i = 0; i < 500; i += 1) set.decide(requests[i % requests.length] as PolicyRequest);
  const times: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const start = performance.now();
    set.decide(requests[i % requests.length] as PolicyRequest);
    times.push(performance.now() - start);
  }
  return { policies: set.policies.size, compileMs, ...summary(times), iterations };
};

/**
 * What policies add to the functions that evaluate them: lookup_order (a policy names it) and
 * CallModel, generated for a deployment with policies, bundled and imported as deployed (the import
 * compiles the policies, loading Cedar's WebAssembly: the cold start's cost).
 */
export const policyBundles = async () => {
  const outdir = join(process.cwd(), 'dist', 'bench', 'policies');
  mkdirSync(outdir, { recursive: true });
  const entries = new GuardedAgentsStack(createTemplateApp(), 'BenchPolicies', {
    senderEmail: 'agent@example.com',
    policies: join(import.meta.dirname, '..', 'infra', 'local', 'policies'),
  }).agent.entries;
  const external = ['@cedar-policy/cedar-wasm'];
  return [
    await measureEntry('lookup_order', entries.get('lookup_order') as string, outdir, {}, external),
    await measureEntry('CallModel', entries.get('CallModel') as string, outdir, {}, external),
  ];
};
