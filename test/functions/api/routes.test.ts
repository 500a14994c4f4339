import { createHmac } from 'node:crypto';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbApprovalStore, DynamoDbDecisionOutbox } from '#shared/approval/index.ts';
import { DynamoDbAuditStore } from '#shared/audit/index.ts';
import { DynamoDbBreakerStore } from '#shared/breaker/index.ts';
import { DynamoDbBucketStore } from '#shared/rate-limit/index.ts';
import { DynamoDbRunStore, startingRun } from '#shared/runs/index.ts';
import { createEmbeddedTables, orchestrationTableSpecs } from '#shared/tables/index.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';
import type { ApiRequest, Identity } from '#functions/api/api-types.ts';
import { deliverStoredDecisions } from '#functions/api/decision-delivery.ts';
import { handleApiRequest } from '#functions/api/router.ts';
import { errorResponse } from '#functions/api/error-response.ts';
import { tooManyRequests } from '#functions/api/http-error.ts';
import { GuardUnavailableError } from '#shared/tool-result/index.ts';
import type { ApiDeps } from '#functions/api/routes.ts';
import { startEmbeddedDynamoDb, uniquePrefix, type EmbeddedDynamoDb } from '../../support/embedded-dynamodb.ts';
import { createGuardTables } from '../../support/guard-harness.ts';

const SLACK_SECRET = 'local-slack-signing-secret';
const users: Record<string, Identity> = {
  uma: { userId: 'uma', groups: ['user'] },
  ursula: { userId: 'ursula', groups: ['user'] },
  olga: { userId: 'olga', groups: ['operator'] },
  adam: { userId: 'adam', groups: ['admin'] },
  pat: { userId: 'pat', groups: ['approver'] },
};

let db: EmbeddedDynamoDb;
let approvalsTable: string;
let deps: ApiDeps;
const started: string[] = [];
const resumed: Array<{ token: string; output: unknown }> = [];
/** Step Functions unreachable: SendTaskSuccess fails past the SDK's retries. */
let stepFunctionsDown = false;
let runCounter = 0;

beforeAll(async () => {
  db = await startEmbeddedDynamoDb();
  const guardTables = await createGuardTables(db.client);
  approvalsTable = guardTables.approvals;
  const runsTable = (await createEmbeddedTables(db.client, [orchestrationTableSpecs.runs], uniquePrefix('api')))[
    orchestrationTableSpecs.runs.id
  ] as string;
  deps = {
    runs: new DynamoDbRunStore({ client: db.client, tableName: runsTable }),
    audit: new DynamoDbAuditStore({ client: db.client, tableName: guardTables.audit }),
    approvals: new DynamoDbApprovalStore({ client: db.client, tableName: guardTables.approvals }),
    decisions: new DynamoDbDecisionOutbox({ client: db.client, tableName: guardTables.approvals }),
    runBuckets: new DynamoDbBucketStore({ client: db.client, tableName: guardTables.guard }),
    registry: toolCatalog,
    startExecution: async (runId) => void started.push(runId),
    // As Step Functions answers: a token whose task has ended (answered once already) is refused.
    sendTaskSuccess: async (token, output) => {
      if (stepFunctionsDown) throw Object.assign(new Error('Service unavailable'), { name: 'ServiceUnavailable' });
      if (resumed.some((r) => r.token === token))
        throw Object.assign(new Error('Task Timed Out: Provided task does not exist anymore'), { name: 'TaskTimedOut' });
      resumed.push({ token, output });
    },
    openBreakers: (tools) => new DynamoDbBreakerStore({ client: db.client, tableName: guardTables.guard }).openAmong(tools),
    allowScriptedModel: true,
    runLimit: { capacity: 3, refillPerMinute: 0.001 },
    // Slack users resolve to the same identities as the API's (Cognito subs deployed).
    slack: {
      signingSecret: SLACK_SECRET,
      resolveDecider: async (slackUser) =>
        (
          ({
            U_PAT: users.pat,
            U_ADAM: users.adam,
            U_OLGA: users.olga,
            U_ADAM_APPROVER: { userId: 'adam', groups: ['admin', 'approver'] },
          }) as Record<string, Identity | undefined>
        )[slackUser],
    },
    newRunId: () => `run-api-${process.pid}-${++runCounter}`,
  };
});
afterAll(async () => db.stop());

const call = (
  method: string,
  path: string,
  options: { as?: string; body?: unknown; raw?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
) => {
  const request: ApiRequest = {
    method,
    path,
    query: options.query ?? {},
    headers: options.headers ?? {},
    body: options.raw ?? (options.body === undefined ? '' : JSON.stringify(options.body)),
    identity: options.as ? users[options.as] : undefined,
  };
  return handleApiRequest(request, deps);
};

describe('the HTTP API', () => {
  it('answers health without a token, and 401 on every other route without one', async () => {
    expect(await call('GET', '/health')).toEqual({ status: 200, body: { status: 'ok' } });
    for (const [method, path] of [
      ['GET', '/tools'],
      ['POST', '/runs'],
      ['GET', '/runs/run-x'],
      ['GET', '/approvals'],
      ['POST', '/approvals/x'],
    ]) {
      expect((await call(method!, path!)).status).toBe(401);
    }
  });

  it('lists the tools of the caller role with schema, risk, approval, limits and breaker state', async () => {
    const { body } = await call('GET', '/tools', { as: 'uma' });
    const tools = (body as { tools: Array<{ name: string; needsApproval: boolean; breaker: string; inputSchema: unknown }> }).tools;
    expect(tools.map((t) => t.name)).toEqual(['search_knowledge_base', 'read_document', 'lookup_order', 'fetch_url']);
    expect(tools[0]).toMatchObject({ needsApproval: false, breaker: 'CLOSED', inputSchema: { type: 'object' } });
    const admin = (await call('GET', '/tools', { as: 'adam' })).body as { tools: Array<{ name: string; needsApproval: boolean }> };
    expect(admin.tools.find((t) => t.name === 'send_email')?.needsApproval).toBe(true);
  });

  it('keeps a run’s budget within the deployment’s caps, refuses a dollar cap without prices, and shows budget and spent', async () => {
    const start = (budget: unknown) =>
      call('POST', '/runs', { as: 'uma', body: { input: 'Budgeted', budget, model: { provider: 'scripted', turns: [{ text: 'hi' }] } } });
    const capped = { ...deps, runBudget: { toolCalls: 20, tokens: 50_000 } };
    const saved = deps;
    deps = capped;
    try {
      const started_ = await start({ toolCalls: 500, tokens: 1000 });
      expect(started_.status).toBe(202);
      const { runId } = started_.body as { runId: string };
      expect(await call('GET', `/runs/${runId}`, { as: 'uma' })).toMatchObject({
        body: { budget: { toolCalls: 20, tokens: 1000 }, spent: { toolCalls: 0, tokens: 0, usd: null } },
      });
      expect(await start({ usd: 1 })).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('no model prices') } },
      });
      for (const bad of [{ toolCalls: 0 }, { tokens: -5 }, { toolCalls: 1.5 }, { usd: 'free' }, { calls: 3 }])
        expect((await start(bad)).status, JSON.stringify(bad)).toBe(400);
    } finally {
      deps = saved;
    }
  });

  it('starts a run for the caller and shows it to its owner and admins only', async () => {
    const started_ = await call('POST', '/runs', {
      as: 'uma',
      body: { input: 'Where is my order?', model: { provider: 'scripted', turns: [{ text: 'hi' }] } },
    });
    expect(started_.status).toBe(202);
    const { runId } = started_.body as { runId: string };
    expect(started).toContain(runId);
    expect(await call('GET', `/runs/${runId}`, { as: 'uma' })).toMatchObject({
      status: 200,
      body: { runId, status: 'RUNNING', iterations: 0, calls: [] },
    });
    expect((await call('GET', `/runs/${runId}`, { as: 'adam' })).status).toBe(200);
    expect((await call('GET', `/runs/${runId}`, { as: 'olga' })).status).toBe(404);
    expect((await call('GET', `/runs/${runId}/audit`, { as: 'olga' })).status).toBe(404);
    expect(await call('GET', `/runs/${runId}/audit`, { as: 'uma' })).toMatchObject({ status: 200, body: { records: [] } });
  });

  it('answers bad input with 400 or 404 and a clear message, never a 500', async () => {
    const bad: Array<[string, string, Parameters<typeof call>[2]]> = [
      ['POST', '/runs', { as: 'olga', raw: '{not json' }],
      ['POST', '/runs', { as: 'olga', body: { input: '' } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'x'.repeat(10_001) } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', maxIterations: 0 } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', maxIterations: 'many' } }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', role: 'admin' } }],
      ['POST', '/runs', { as: 'olga', body: [1, 2] }],
      ['POST', '/runs', { as: 'olga', body: { input: 'hi', model: { provider: 'scripted', turns: 'x' } } }],
      ['POST', '/runs', { as: 'olga', raw: `{"input":"${'a'.repeat(70_000)}"}` }],
      ['GET', '/runs/..%2F..%2Fetc', { as: 'olga' }],
      ['GET', '/runs/%E0%A4%A', { as: 'olga' }],
      ['GET', '/runs/run-doesnotexist', { as: 'olga' }],
      ['GET', '/nope', { as: 'olga' }],
      ['POST', '/approvals/not-an-id', { as: 'pat', body: { decision: 'approve' } }],
      ['POST', '/approvals/run-x.c1-1', { as: 'pat', body: { decision: 'maybe' } }],
      ['GET', '/approvals', { as: 'pat', query: { status: 'all' } }],
    ];
    for (const [method, path, options] of bad) {
      const response = await call(method, path, options);
      expect([400, 404, 405], `${method} ${path} -> ${response.status}`).toContain(response.status);
      expect(response.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('answers 503, never 500, when the audit trail cannot be read', async () => {
    const runId = (await call('POST', '/runs', { as: 'olga', body: { input: 'hello' } })).body as { runId: string };
    const broken = { ...deps, audit: new DynamoDbAuditStore({ client: db.client, tableName: 'no-such-audit-table' }) };
    for (const path of [`/runs/${runId.runId}`, `/runs/${runId.runId}/audit`]) {
      const response = await handleApiRequest({ method: 'GET', path, query: {}, headers: {}, body: '', identity: users.olga }, broken);
      expect(response, path).toMatchObject({ status: 503, headers: { 'retry-after': '1' }, body: { error: { code: 'UNAVAILABLE' } } });
    }
  });

  it('answers a wrong method on a known path with 405 and the methods it takes', async () => {
    expect(await call('DELETE', '/runs', { as: 'olga' })).toMatchObject({
      status: 405,
      headers: { allow: 'POST, GET' },
      body: { error: { code: 'METHOD_NOT_ALLOWED' } },
    });
    expect(await call('PUT', '/runs/run-x', { as: 'olga' })).toMatchObject({ status: 405, headers: { allow: 'GET' } });
    expect((await call('DELETE', '/nope', { as: 'olga' })).status).toBe(404);
  });

  it('answers a body over the one limit with 413, and JSON nested too deep with 400 before any run token is spent', async () => {
    expect(await call('POST', '/runs', { as: 'uma', raw: JSON.stringify({ input: 'x'.repeat(300 * 1024) }) })).toMatchObject({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE' } },
    });
    const deep = `{"input":"hi","model":{"provider":"scripted","turns":[{"toolCalls":[{"name":"lookup_order","arguments":${'['.repeat(5000)}${']'.repeat(5000)}}]}]}}`;
    // ursula gets 3 runs: three deep bodies spend none of them.
    for (let i = 0; i < 3; i++)
      expect(await call('POST', '/runs', { as: 'ursula', raw: deep })).toMatchObject({
        status: 400,
        body: { error: { message: expect.stringContaining('nested deeper') } },
      });
    for (let i = 0; i < 3; i++) expect((await call('POST', '/runs', { as: 'ursula', body: { input: `run ${i}` } })).status).toBe(202);
  });

  it('refuses a body with a key twice in one object as ambiguous', async () => {
    const response = await call('POST', '/approvals/run-x.c1-1', { as: 'pat', raw: '{"decision":"deny","decision":"approve"}' });
    expect(response).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('"decision" appears twice') } } });
    // The same key in two different objects is fine, and so is a key inside a string.
    expect(
      (
        await call('POST', '/runs', {
          as: 'olga',
          raw: '{"input":"\\"input\\": twice?","model":{"provider":"scripted","turns":[{"text":"a"}]}}',
        })
      ).status,
    ).toBe(202);
  });

  it('limits how many runs one user may start, with Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await call('POST', '/runs', { as: 'adam', body: { input: `run ${i}` } })).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const limited = await call('POST', '/runs', { as: 'adam', body: { input: 'again' } });
    expect(limited.headers?.['retry-after']).toMatch(/^\d+$/);
    // The message says the same wait as the header.
    expect((limited.body as { error: { message: string } }).error.message).toBe(
      `Too many runs started; try again in ${limited.headers?.['retry-after']} s.`,
    );
  });

  it('says the same wait in every 429 and 503 message as in its Retry-After, rounding up, at least 1 s', () => {
    for (const [ms, seconds] of [
      [0, 1],
      [0.4, 1],
      [999.99, 1],
      [1000, 1],
      [1000.0001, 2],
      [1500, 2],
      [5999, 6],
    ] as const) {
      const error = tooManyRequests('Too many runs started', ms);
      expect(error.headers).toEqual({ 'retry-after': String(seconds) });
      expect(error.message).toBe(`Too many runs started; try again in ${seconds} s.`);
    }
    const outage = errorResponse(new GuardUnavailableError('The store is down.'));
    expect(outage).toMatchObject({ status: 503, headers: { 'retry-after': '1' } });
    expect(outage.body).toEqual({
      error: { code: 'UNAVAILABLE', message: 'The service cannot reach its data right now; try again in 1 s.' },
    });
  });

  describe('approvals', () => {
    const pending = async (callId: string, runId = 'run-api-appr') => {
      const approvalId = `${runId}.${callId}`;
      await deps.approvals.create({
        approvalId,
        runId,
        callId,
        tool: 'send_email',
        argsHash: 'h',
        requestedBy: 'adam',
        summary: '{"to":"j@example.com"}',
        shown: '{"to":"j@example.com"}',
        taskToken: `SECRET-TOKEN-${callId}`,
        expiresAt: Math.floor(Date.now() / 1000) + 600,
        requestedAtMs: Date.now(),
      });
      return approvalId;
    };

    it('answers a decision 200 when the twin request sent with it (a double click) answered the task first', async () => {
      const id = await pending('c1-10');
      // The twin reached Step Functions first: this request's token is refused as a closed task's.
      resumed.push({ token: 'SECRET-TOKEN-c1-10', output: { approvalId: id, decision: 'approve' } });
      expect(await call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve' } })).toMatchObject({
        status: 200,
        body: { status: 'APPROVED', decidedBy: 'pat' },
      });
    });

    /** A run whose execution waits (its record RUNNING). */
    const runningRun = async () => {
      const runId = deps.newRunId();
      await deps.runs.create(startingRun({ runId, owner: 'adam', groups: ['admin'], input: 'Email Jane', maxIterations: 5 }));
      return runId;
    };
    const undelivered = async () => (await deps.decisions.listUndelivered()).map((d) => d.record.approvalId);
    const sweep = (settleMs = 0) => deliverStoredDecisions(deps, { settleMs, graceMs: 60_000 });

    it('delivers a decision the API stored but could not deliver: the sweep answers the task once, with the edit, and its record once', async () => {
      const runId = await runningRun();
      const id = await pending('c1-20', runId);
      const edited = { to: 'jane@example.com', subject: 'Edited', body: 'Shipped.' };
      stepFunctionsDown = true;
      const answered = await call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve', arguments: edited } }).finally(
        () => (stepFunctionsDown = false),
      );
      expect(answered.status).toBe(500);
      expect(await undelivered()).toContain(id);
      // Younger than the API's own try: left to it.
      expect((await sweep(60_000)).delivered).not.toContain(id);
      expect((await sweep()).delivered).toContain(id);
      expect(resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-20')).toEqual([
        { token: 'SECRET-TOKEN-c1-20', output: { approvalId: id, decision: 'approve', arguments: edited } },
      ]);
      // The API had written the record before the task failed: the sweep adds none.
      const records = (await deps.audit.listByRun(runId)).filter((r) => r.approvalId === id);
      expect(records).toEqual([expect.objectContaining({ status: 'approved', userId: 'pat', edited: expect.any(Object) })]);
      expect(await undelivered()).not.toContain(id);
      expect([...(await sweep()).delivered, ...(await sweep()).closed]).not.toContain(id);
    });

    it('writes the record the API could not, before it answers the task; a decision nobody waits on any more is only unmarked', async () => {
      const runId = await runningRun();
      const waiting = await pending('c1-21', runId);
      // Decided in the store, then the API went down: no record, no answer.
      await deps.approvals.decide(waiting, 'deny', users.pat!, 'not now');
      // Its run does not exist (ended, for the sweep): its chain may be sealed.
      const gone = await pending('c1-22');
      await deps.approvals.decide(gone, 'approve', users.pat!);
      const swept = await sweep();
      expect(swept).toMatchObject({ delivered: expect.arrayContaining([waiting]), closed: expect.arrayContaining([gone]), failed: [] });
      expect(swept.delivered).not.toContain(gone);
      expect((await deps.audit.listByRun(runId)).filter((r) => r.approvalId === waiting)).toEqual([
        expect.objectContaining({ status: 'denied', userId: 'pat', result: expect.stringContaining('"reason":"not now"') }),
      ]);
      expect(resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-21')).toEqual([
        { token: 'SECRET-TOKEN-c1-21', output: { approvalId: waiting, decision: 'deny' } },
      ]);
      expect((await deps.audit.listByRun('run-api-appr')).filter((r) => r.approvalId === gone)).toEqual([]);
      expect(resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-22')).toEqual([]);
      expect(await undelivered()).not.toContain(waiting);
      expect(await undelivered()).not.toContain(gone);
    });

    it('lists pending approvals to approvers only, without the task token', async () => {
      const id = await pending('c1-1');
      expect((await call('GET', '/approvals', { as: 'adam' })).status).toBe(403);
      const listed = await call('GET', '/approvals', { as: 'pat', query: { status: 'pending' } });
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).toContain(id);
      expect(JSON.stringify(listed.body)).not.toContain('SECRET-TOKEN');
    });

    it('decides once: the approver resumes the execution, a second decision is 409, the requester and non-approvers 403', async () => {
      const id = await pending('c1-2');
      expect((await call('POST', `/approvals/${id}`, { as: 'adam', body: { decision: 'approve' } })).status).toBe(403);
      const decided = await call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve', reason: 'ok' } });
      expect(decided).toMatchObject({ status: 200, body: { status: 'APPROVED', decidedBy: 'pat' } });
      expect(JSON.stringify(decided)).not.toContain('SECRET-TOKEN');
      expect(resumed.at(-1)).toEqual({ token: 'SECRET-TOKEN-c1-2', output: { approvalId: id, decision: 'approve' } });
      // Delivered: nothing is left for the sweep.
      expect(await undelivered()).not.toContain(id);
      expect(await call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'deny' } })).toMatchObject({
        status: 409,
        body: { error: { code: 'ALREADY_DECIDED' } },
      });
      // The approver's retry of the same decision (as after an error) is answered as decided; its task had ended already.
      // Its record is written again as it was: a different reason now would change a record the chain may have sealed.
      expect(await call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve', reason: 'changed my mind' } })).toMatchObject(
        {
          status: 200,
          body: { status: 'APPROVED', decidedBy: 'pat' },
        },
      );
      expect(resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-2')).toHaveLength(1);
      const audit = await deps.audit.listByRun('run-api-appr');
      // The requester's try while it was pending is on the record; the late 409 on a decided approval is not.
      const records = audit.filter((r) => r.approvalId === id);
      expect(records).toHaveLength(2);
      const refused = records.find((r) => r.status === 'decision-refused');
      const approved = records.find((r) => r.status === 'approved');
      expect(approved).toMatchObject({
        userId: 'pat',
        callId: 'c1-2',
        tool: 'send_email',
        result: expect.stringContaining('"reason":"ok"'),
      });
      expect(refused).toMatchObject({ userId: 'adam', result: expect.stringContaining('not-an-approver') });
      // Both carry the millisecond they happened at, so the trail keeps their order even within one second.
      expect(refused!.at <= approved!.at).toBe(true);
    });

    it('refuses a decision on an approval that ran out as 409, and keeps it off the run, whose trail may be closed', async () => {
      const id = await pending('c1-8');
      await db.client.send(
        new UpdateItemCommand({
          TableName: approvalsTable,
          Key: { approvalId: { S: id } },
          UpdateExpression: 'SET expiresAt = :past',
          ExpressionAttributeValues: { ':past': { N: String(Math.floor(Date.now() / 1000) - 5) } },
        }),
      );
      expect(await call('POST', `/approvals/${id}`, { as: 'pat', body: { decision: 'approve' } })).toMatchObject({
        status: 409,
        body: { error: { code: 'EXPIRED' } },
      });
      expect((await deps.audit.listByRun('run-api-appr')).filter((r) => r.approvalId === id)).toEqual([]);
    });

    it('stores and audits the reason redacted: an approver may paste a secret into it', async () => {
      const id = await pending('c1-9');
      const key = 'sk-proj-4Xk2J9hVbL0mN7qR1sT3uV5wX7yZ9aB1cD3eF5gH7iJ9kL1m';
      expect(
        (
          await call('POST', `/approvals/${id}`, {
            as: 'pat',
            body: { decision: 'deny', reason: `wrong key ${key}, see https://x.example/?token=abcdef123456` },
          })
        ).status,
      ).toBe(200);
      const stored = JSON.stringify(
        (await db.client.send(new GetItemCommand({ TableName: approvalsTable, Key: { approvalId: { S: id } } }))).Item,
      );
      const audited = JSON.stringify(await deps.audit.listByRun('run-api-appr'));
      for (const text of [stored, audited]) {
        expect(text).toContain('wrong key');
        expect(text).not.toContain('4Xk2J9hV');
        expect(text).not.toContain('abcdef123456');
      }
    });

    const slack = (body: string, timestamp = Math.floor(Date.now() / 1000), secret = SLACK_SECRET) => ({
      raw: body,
      headers: {
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
      },
    });
    const slackBody = (user: string, action: string, value: string) =>
      `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: user }, actions: [{ action_id: action, value }] }))}`;

    it('takes a signed Slack decision from a mapped approver, once', async () => {
      const id = await pending('c1-3');
      const body = slackBody('U_PAT', 'deny', id);
      expect(await call('POST', '/slack/interactions', slack(body))).toMatchObject({
        status: 200,
        body: { text: expect.stringContaining('Denied') },
      });
      expect(resumed.at(-1)?.output).toEqual({ approvalId: id, decision: 'deny' });
      // Slack delivering the same click again (it retries a callback it thinks unanswered) gets the same answer; the run resumed once.
      expect(await call('POST', '/slack/interactions', slack(body))).toMatchObject({
        status: 200,
        body: { text: expect.stringContaining('Denied') },
      });
      expect(resumed.filter((r) => r.token === 'SECRET-TOKEN-c1-3')).toHaveLength(1);
      // Another answer from the same person is not a retry: refused.
      expect((await call('POST', '/slack/interactions', slack(slackBody('U_PAT', 'approve', id)))).status).toBe(409);
    });

    it('refuses unsigned, stale, tampered and unmapped Slack callbacks', async () => {
      const id = await pending('c1-4');
      const body = slackBody('U_PAT', 'approve', id);
      expect((await call('POST', '/slack/interactions', { raw: body })).status).toBe(401);
      expect((await call('POST', '/slack/interactions', slack(body, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
      expect((await call('POST', '/slack/interactions', slack(body, undefined, 'wrong-secret'))).status).toBe(401);
      const signed = slack(body);
      expect((await call('POST', '/slack/interactions', { ...signed, raw: body.replace('approve', 'deny') })).status).toBe(401);
      expect((await call('POST', '/slack/interactions', slack(slackBody('U_EVE', 'approve', id)))).status).toBe(403);
      expect((await call('POST', '/slack/interactions', slack(slackBody('U_ADAM', 'approve', id)))).status).toBe(403);
      // The requester, now also an approver, clicking in Slack: the same identity as in the API, so refused as their own call.
      expect(await call('POST', '/slack/interactions', slack(slackBody('U_ADAM_APPROVER', 'approve', id)))).toMatchObject({
        status: 403,
        body: { error: { code: 'OWN_CALL' } },
      });
      expect(await deps.approvals.get(id)).toMatchObject({ status: 'PENDING' });
    });
  });
});
