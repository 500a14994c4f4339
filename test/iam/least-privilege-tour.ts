/**
 * The least-privilege tour: the local system (every function's calls checked against the role CDK
 * synthesized for it), driven through every route of the HTTP API and MCP, every tool, approvals
 * approved, denied, delegated, escalated and expired, budgets kept, and a restart under a pending
 * approval. What it leaves is, per function, the granted actions no call used, each either with
 * the AWS-documented reason it cannot be used here, or unexplained (a finding: the grant goes, or
 * the tour misses a path). `npm run iam:report` prints it; test/iam/least-privilege.test.ts fails
 * CI on a denial or an unexplained grant. docs/testing.md ("Least privilege") explains each kind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Duration } from 'aws-cdk-lib';
import { startDemoSystem, type DemoSystem } from '../../infra/local/demo-app.ts';
import { createApiServer } from '../../infra/local/http-server.ts';
import { unusedGrants, type UnusedGrant } from '../../infra/local/iam/least-privilege.ts';
import type { IamRecord } from '../../infra/local/iam/local-iam.ts';
import { loadLocalUsers } from '../../infra/local/local-users.ts';
import { OrchestrationFunction } from '../../infra/guarded-agent/orchestration-functions.ts';
import { localTableArn } from '../../infra/local/iam/function-policies.ts';
import { guardTableSpecs } from '#shared/tables/index.ts';

/** Why a granted action can go unused by every local path, as AWS documents it; anything else is a finding. */
export const DOCUMENTED_KINDS: ReadonlyArray<readonly [kind: string, test: (grant: UnusedGrant) => boolean]> = [
  [
    "X-Ray: with active tracing the Lambda service sends the function's segments under its role (xray:PutTraceSegments, xray:PutTelemetryRecords); nothing sends to X-Ray here",
    (g) => g.action === 'xray:PutTraceSegments' || g.action === 'xray:PutTelemetryRecords',
  ],
  ['Bedrock: the model is AWS itself; here a scripted or demo model answers', (g) => g.action.startsWith('bedrock:')],
  [
    'SES: SendEmail is authorized against the identity it sends from, the address or its verified domain; one of the two goes unused',
    (g) => g.action === 'ses:SendEmail',
  ],
];
export const UNEXPLAINED = 'not explained: a finding';

export interface TourReport {
  /** Each function's unused grants, with their kind. */
  readonly unused: ReadonlyMap<string, ReadonlyArray<UnusedGrant & { readonly kind: string }>>;
  readonly denials: readonly IamRecord[];
  /** How many granted pairs each function's calls used. */
  readonly usedPairs: ReadonlyMap<string, number>;
}

// TOUR_TRACE=1: each step with its time, on stderr (where a slow machine spends the tour).
const trace = (what: string) => void (process.env.TOUR_TRACE && console.error(`${new Date().toISOString()} ${what}`));

const page = `<html><body>Public page.</body></html>`;
const STACK = {
  // Budgets that never stop anything here: their counters are read and reserved on every step and call.
  spendBudgets: { limits: [{ scope: 'user' as const, window: 'day' as const, toolCalls: 100_000, tokens: 100_000_000 }] },
  approvalEscalation: { after: Duration.seconds(1), group: 'oncall' },
};

const startSystem = async (dataDir: string, users: ReturnType<typeof loadLocalUsers>) => {
  const system = await startDemoSystem({
    users,
    dataDir,
    approvalTimeoutMs: 8000,
    stack: STACK,
    fetch: (async () => new Response(page, { headers: { 'content-type': 'text/html' } })) as unknown as typeof fetch,
  });
  const server = createApiServer(system.deps, users);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await system.stop();
  };
  return { system, base, stop };
};

const client = (base: string) => {
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    // Generous for a busy machine; a path that never comes is a broken tour, said so.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`the tour waited a minute for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const run = async (token: string, toolCalls: object[]) => {
    const started = await api('POST', '/runs', token, {
      input: 'tour',
      model: { provider: 'scripted', turns: [{ toolCalls }, { text: 'done' }] },
    });
    if (started.status !== 202) throw new Error(`the tour's run was not started: ${JSON.stringify(started.body)}`);
    return started.body.runId as string;
  };
  const ended = (runId: string) =>
    until(`run ${runId} to end`, async () => {
      const { body } = await api('GET', `/runs/${runId}`, 'local-admin-token');
      return ['SUCCEEDED', 'FAILED', 'MAX_ITERATIONS'].includes(String(body.status)) ? body : undefined;
    });
  const pendingOf = (runId: string, count = 1) =>
    until(`an approval of run ${runId}`, async () => {
      const { body } = await api('GET', '/approvals?status=pending', 'local-approver-token');
      const mine = (body.approvals as Array<{ approvalId: string; runId: string; tool: string }>).filter((a) => a.runId === runId);
      if (mine.length >= count) return mine;
      const state = (await api('GET', `/runs/${runId}`, 'local-admin-token')).body;
      if (['SUCCEEDED', 'FAILED', 'MAX_ITERATIONS'].includes(String(state.status)))
        throw new Error(`run ${runId} ended while the tour waited for its approval: ${JSON.stringify(state)}`);
      return undefined;
    });
  /** Decides as `token`, after viewing it (a shortened approval is decided only once seen). */
  const decide = async (approvalId: string, token: string, decision: 'approve' | 'deny') => {
    await api('GET', `/approvals/${approvalId}`, token);
    const answer = await api('POST', `/approvals/${approvalId}`, token, { decision, reason: 'tour' });
    // An approval that expired before it was decided (a slow machine) would leave a path unused: say so.
    if (answer.status !== 200) throw new Error(`the tour's decision on ${approvalId} was not taken: ${JSON.stringify(answer.body)}`);
  };
  return { api, run, ended, pendingOf, decide };
};

const ALL_CALLS = [
  { name: 'search_knowledge_base', arguments: { query: 'return an item' } },
  { name: 'lookup_order', arguments: { orderId: 'ORD-104233' } },
  { name: 'read_document', arguments: { path: 'policies/leave-policy.md' } },
  { name: 'read_document', arguments: { path: 'policies/missing.md' } }, // a 404 from S3: needs s3:ListBucket
  { name: 'fetch_url', arguments: { url: 'https://example.com/' } },
  { name: 'create_ticket', arguments: { title: 'Printer', description: 'It jams.', priority: 'low' } },
  { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Hi', body: 'Hello.' } },
  { name: 'publish_announcement', arguments: { title: 'Office closed', body: 'Friday.' } },
  { name: 'delete_document', arguments: { path: 'drafts-q4-announcement.md' } },
  { name: 'refund_order', arguments: { orderId: 'ORD-104230', amountCents: 1500, reason: 'Tour.' } },
  { name: 'delete_document', arguments: { path: 'drafts/missing.md' } },
  { name: 'lookup_order', arguments: { orderId: 'ORD-1' } }, // refused at screening
];
const email = ALL_CALLS.find((c) => c.name === 'send_email') as (typeof ALL_CALLS)[number];
const announce = ALL_CALLS.find((c) => c.name === 'publish_announcement') as (typeof ALL_CALLS)[number];

/** Runs the tour and reports what it left unused. */
export const runLeastPrivilegeTour = async (): Promise<TourReport> => {
  const users = loadLocalUsers();
  const dataDir = await mkdtemp(join(tmpdir(), 'least-privilege-'));
  const used = new Map<string, Set<string>>();
  const denials: IamRecord[] = [];
  const keep = (system: DemoSystem) => {
    for (const [fn, pairs] of system.iam.used()) for (const pair of pairs) used.set(fn, (used.get(fn) ?? new Set()).add(pair));
    denials.push(...system.iam.denials());
  };
  try {
    trace('step 1');
    // 1. A run waits on an approval when the system stops; started again, it asks for it again (the token refreshed).
    const first = await startSystem(dataDir, users);
    const paused = await client(first.base).run('local-admin-token', [ALL_CALLS[8] as object]);
    await client(first.base).pendingOf(paused);
    keep(first.system);
    await first.stop();

    const { system, base, stop } = await startSystem(dataDir, users);
    try {
      const { api, run, ended, pendingOf, decide } = client(base);
      const [resumed] = await pendingOf(paused);
      await decide(resumed!.approvalId, 'local-approver-token', 'approve');
      await ended(paused);

      trace('step 2');

      // 2. Every tool once, the destructive ones approved; a denial; a delegation decided by the delegate.
      const tour = await run('local-admin-token', ALL_CALLS);
      // The five destructive calls' approvals, as they come.
      const decided = new Set<string>();
      while (decided.size < 5)
        for (const approval of await pendingOf(tour)) {
          if (decided.has(approval.approvalId)) continue;
          await decide(approval.approvalId, 'local-approver-token', 'approve');
          decided.add(approval.approvalId);
        }
      const denied = await run('local-admin-token', [email]);
      await decide((await pendingOf(denied))[0]!.approvalId, 'local-approver-token', 'deny');
      const delegated = await run('local-admin-token', [announce]);
      const [handed] = await pendingOf(delegated);
      await api('POST', `/approvals/${handed!.approvalId}/delegate`, 'local-approver-token', { to: 'olga', reason: 'tour' });
      await decide(handed!.approvalId, 'local-operator-token', 'approve');
      trace('step 3');
      // 3. One nobody decides: escalated after a second, expired after eight.
      const expiring = await run('local-admin-token', [email]);

      trace('step 4');

      // 4. MCP: the tools listed; a source read (the caller labelled), a call refused at screening,
      // then every tool called at once, their approvals approved as they come but one, which expires.
      const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), {
        requestInit: { headers: { authorization: 'Bearer local-admin-token' } },
      });
      const mcp = new Client({ name: 'least-privilege-tour', version: '1.0.0' });
      await mcp.connect(transport);
      await mcp.listTools();
      await mcp.callTool({ name: 'read_document', arguments: { path: 'policies/leave-policy.md' } });
      await mcp.callTool({ name: 'lookup_order', arguments: { orderId: 'ORD-1' } });
      // A call that needs an approval answers awaiting_approval; called again once decided, it runs.
      const tools = ALL_CALLS.slice(0, 10);
      const answers = (await Promise.all(tools.map((call) => mcp.callTool(call)))).map(
        (answer) => answer.structuredContent as { status?: string; approvalId?: string; expiresAt?: string },
      );
      const waiting = tools.flatMap((call, i) => (answers[i]?.status === 'awaiting_approval' ? [{ call, ...answers[i] }] : []));
      const [expires, ...others] = [...waiting].sort((a) => (a.call.name === 'fetch_url' ? -1 : 0));
      if (expires?.call.name !== 'fetch_url')
        throw new Error(`the tour expected fetch_url to wait for approval over MCP: ${JSON.stringify(answers)}`);
      for (const { approvalId } of others) await decide(approvalId as string, 'local-approver-token', 'approve');
      await Promise.all(others.map(({ call }) => mcp.callTool(call)));
      // The one nobody decides, called again once it has expired: the MCP function expires it.
      await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expires.expiresAt as string) - Date.now()) + 1100));
      await mcp.callTool(expires.call);
      await mcp.close();
      await api('GET', '/users/adam/mcp-label', 'local-admin-token');
      await api('DELETE', '/users/adam/mcp-label', 'local-admin-token');
      await Promise.all([tour, denied, delegated, expiring].map(ended));

      trace('step 5');

      // 5. The API's reads: runs listed (everyone's, one owner's), a run's audit and its verification, the audit search, budgets, tools.
      await api('GET', '/runs', 'local-admin-token');
      await api('GET', '/runs', 'local-user-token');
      await api('GET', `/runs/${tour}/audit`, 'local-admin-token');
      await api('GET', `/runs/${tour}/audit/verify`, 'local-admin-token');
      await api('GET', '/audit', 'local-admin-token');
      await api('GET', '/budgets', 'local-user-token');
      await api('GET', '/tools', 'local-user-token');
    } finally {
      keep(system);
      await stop();
    }
    const policies = system.iam.policies;
    // The guard pipeline is one piece of code in every tool's function, granted alike: a grant of it
    // on the guard tables is used when any tool's function used it.
    const tools = [...policies.keys()].filter((fn) => !(Object.values(OrchestrationFunction) as string[]).includes(fn));
    const guardTables = Object.values(guardTableSpecs).map((spec) => ` ${localTableArn(system.tableNames[spec.id] as string)}`);
    const pipelineUsed = new Set(
      tools.flatMap((fn) => [...(used.get(fn) ?? [])].filter((pair) => guardTables.some((table) => pair.endsWith(table)))),
    );
    for (const fn of tools) for (const pair of pipelineUsed) used.set(fn, (used.get(fn) ?? new Set()).add(pair));
    const unused = new Map(
      [...unusedGrants(policies, used)].map(([fn, grants]) => [
        fn,
        grants.map((grant) => ({ ...grant, kind: DOCUMENTED_KINDS.find(([, test]) => test(grant))?.[0] ?? UNEXPLAINED })),
      ]),
    );
    const usedPairs = new Map([...policies.keys()].map((fn) => [fn, used.get(fn)?.size ?? 0]));
    return { unused, denials, usedPairs };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
};
