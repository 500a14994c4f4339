import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../support/cli-output.ts';
import type { ReplayReport } from '#shared/policies/index.ts';
import { main } from '../../../infra/policy-replay/policy-replay-cli.ts';
import { until, useLocalServer } from '../../support/local-server.ts';

// Replay against real history: runs under the test policies (test/infra/local/policies), then a
// candidate set decided again on every recorded request, as `npm run policy:replay` does.
const world = useLocalServer({ stack: { policies: join(import.meta.dirname, '..', 'local', 'policies') } });
const admin = () => world.tokenOfRole('admin');

const runToEnd = async (turns: unknown[]) => {
  const runId = (await world.api('POST', '/runs', admin(), { input: 'replay', model: { provider: 'scripted', turns } })).body
    .runId as string;
  return until(async () => {
    const run = (await world.api('GET', `/runs/${runId}`, admin())).body as { status: string };
    return run.status === 'SUCCEEDED' ? run : undefined;
  }, 15_000);
};

const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'candidate-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

const replay = (...args: string[]) => runCli(main, ['--url', world.base, ...args]);

beforeAll(async () => {
  await runToEnd([
    { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104231' } }] },
    { toolCalls: [{ name: 'lookup_order', arguments: { orderId: 'ORD-104233' } }] },
    { toolCalls: [{ name: 'search_knowledge_base', arguments: { query: 'returns' } }] },
    { text: 'done' },
  ]);
});

// The candidate: the order rule dropped, searches forbidden, lookups of one order need a person.
const CANDIDATE = `@id("no-search")
forbid (principal, action == GuardedAgents::Action::"search_knowledge_base", resource);

@id("ask-for-104233")
@approval
forbid (principal, action == GuardedAgents::Action::"lookup_order", resource)
when { context.arguments.orderId == "ORD-104233" };
`;

describe('npm run policy:replay', () => {
  it('says what a candidate set would have decided otherwise on what actually happened', async () => {
    const { code, out, errors } = await replay('--policies', folder({ 'candidate.cedar': CANDIDATE }), '--json');
    expect(errors).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as ReplayReport & { candidate: string };
    expect(report.newlyAllowed.map((c) => [c.tool, c.was, c.now])).toEqual([['lookup_order', 'forbid', 'permit']]);
    expect(report.newlyRefused.map((c) => [c.tool, c.was, c.now, c.deciding])).toEqual([
      ['search_knowledge_base', 'permit', 'forbid', ['no-search']],
    ]);
    expect(report.newlyNeedApproval.map((c) => [c.tool, c.was, c.now, c.deciding])).toEqual([
      ['lookup_order', 'permit', 'approval', ['ask-for-104233']],
    ]);
    expect(report.replayed).toBe(3);
    expect(Object.values(report.decidedBy)).toEqual([3]);
  });

  it('names each step on stderr as it starts, one plain line each without a terminal (the report alone on stdout)', async () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect((await replay('--policies', folder({ 'candidate.cedar': CANDIDATE }), '--json')).code).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(written.join('')).toMatch(
      /^reading the deployment's tools \(http:\/\/127\.0\.0\.1:\d+\)\ncompiling 1 policy file\(s\) against \d+ tools\nreading the audit trail since 7d\ndeciding \d+ recorded calls again\n$/,
    );
  });

  it('prints a table a person reads, and counts nothing changed under the same policies', async () => {
    const same = await replay('--policies', join(import.meta.dirname, '..', 'local', 'policies'));
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/^Replayed 3 recorded calls .* 0 newly refused, 0 newly allowed, 0 newly needing approval, 3 unchanged\./);
    const changed = await replay('--policies', folder({ 'candidate.cedar': CANDIDATE }));
    expect(changed.out).toContain('Newly refused (1):');
    expect(changed.out).toMatch(/search_knowledge_base .* permit +forbid +no-search/);
  });

  it('skips records no policy set decided, and says how many', async () => {
    // A call refused before the policies were asked (an unknown tool) predates nothing, but no set decided it.
    await runToEnd([{ toolCalls: [{ name: 'wire_money', arguments: {} }] }, { text: 'done' }]);
    const { out } = await replay('--policies', folder({ 'candidate.cedar': CANDIDATE }), '--json');
    expect((JSON.parse(out) as ReplayReport).skipped).toBeGreaterThanOrEqual(1);
  });

  it('fails with exit code 2 and the file and line of a candidate that does not compile against the deployed tools', async () => {
    const bad = await replay(
      '--policies',
      folder({ 'bad.cedar': '\n\nforbid (principal, action == GuardedAgents::Action::"wire_money", resource);' }),
    );
    expect(bad.code).toBe(2);
    expect(bad.errors).toMatch(/bad\.cedar:3: .*wire_money/);
    expect((await replay()).code).toBe(2);
    expect((await replay('--policies', '/no/such/folder')).errors).toContain('is not a folder of .cedar files');
  });
});
