import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbApprovalStore } from '#shared/approval/index.ts';
import { createRequestApproval } from '#functions/orchestration/request-approval/request-approval.ts';
import { createApiServer, listen } from '../../infra/local/http-server.ts';
import { loadLocalUsers } from '../../infra/local/local-users.ts';
import { startDemoSystem, type DemoSystem } from '../../infra/local/demo-app.ts';
import { unreachableDynamoDb } from '../support/embedded-dynamodb.ts';

const users = loadLocalUsers();
const admin = 'local-admin-token';
const approver = 'local-approver-token';
const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Once', body: 'Only once.' } };

let system: DemoSystem;
let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  // Everything the system prints, at the most talkative level, is captured and searched.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  system = await startDemoSystem({ users });
  vi.unstubAllEnvs();
  server = createApiServer(system.deps, users, { stats: system.stats });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  server.close();
  await system.stop();
});

const api = async (method: string, path: string, token: string | undefined, body?: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  seen.push(text);
  return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
};
const waitFor = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
};
const sentEmails = async () => (await system.sentMail()).length;

describe('reliability', () => {
  it('runs a call once when its Slack approve callback arrives 6 times at once and again later, records one decision, and never shows the task token', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    try {
      const before = await sentEmails();
      const { runId } = (
        await api(
          'POST',
          '/runs',
          admin,
          JSON.stringify({ input: 'email Jane', model: { provider: 'scripted', turns: [{ toolCalls: [email] }, { text: 'sent' }] } }),
        )
      ).body as { runId: string };
      const approvalId = await waitFor(
        async () =>
          ((await api('GET', '/approvals?status=pending', approver)).body.approvals as Array<{ approvalId: string; runId: string }>).find(
            (a) => a.runId === runId,
          )?.approvalId,
      );
      const body = `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'UPAT' }, actions: [{ action_id: 'approve', value: approvalId }] }))}`;
      const signed = () => {
        const timestamp = String(Math.floor(Date.now() / 1000));
        return {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': `v0=${createHmac('sha256', 'local-slack-signing-secret').update(`v0:${timestamp}:${body}`).digest('hex')}`,
        };
      };
      const burst = await Promise.all(Array.from({ length: 6 }, () => api('POST', '/slack/interactions', undefined, body, signed())));
      // The same click delivered 6 times is one decision: each delivery gets its answer (Slack shows no error), the call runs once.
      expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const run = await waitFor(async () => {
        const current = (await api('GET', `/runs/${runId}`, admin)).body;
        return current.status === 'SUCCEEDED' ? current : undefined;
      });
      expect((await api('POST', '/slack/interactions', undefined, body, signed())).status).toBe(200);
      expect(run.calls).toEqual([expect.objectContaining({ status: 'executed' })]);
      expect((await sentEmails()) - before).toBe(1);
      // One decision on the record, however often it was delivered.
      const trail = (await api('GET', `/runs/${runId}/audit`, admin)).body as { records: Array<{ approvalId?: string; status: string }> };
      expect(trail.records.filter((r) => r.approvalId === approvalId && r.status === 'approved')).toHaveLength(1);
      seen.push(JSON.stringify((await api('GET', `/runs/${runId}/audit`, admin)).body));
    } finally {
      spy.mockRestore();
    }
    // The token is what resumes the execution: it must appear nowhere a person, a log or the model could see it.
    const everything = [...seen, ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).toContain('send_email');
    expect(everything).not.toContain('local-task-token');
    expect(everything).not.toContain('see-the-approvals-table');
  });

  it('posts no approval and runs nothing when DynamoDB cannot be reached', async () => {
    const down = unreachableDynamoDb();
    const posted: unknown[] = [];
    const request = createRequestApproval({
      approvals: new DynamoDbApprovalStore({ client: down, tableName: 'Approvals' }),
      timeoutSeconds: 60,
      notifier: { postRequest: async (notice) => (posted.push(notice), { channel: 'C', ts: '1' }) },
    });
    const item = {
      functionName: 'send_email',
      summary: '{}',
      invocation: { runId: 'run-down', callId: 'c1-1', tool: 'send_email', caller: { userId: 'adam', groups: ['admin'] }, arguments: {} },
    };
    await expect(request({ taskToken: 'T', item })).rejects.toThrow();
    expect(posted).toEqual([]);
    down.destroy();
  });
});
