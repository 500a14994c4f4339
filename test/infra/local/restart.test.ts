import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approvalIdOf } from '#shared/approval/index.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { startingRun } from '#shared/runs/index.ts';
import { startDemoSystem, type DemoSystem } from '../../../infra/local/demo-app.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const email = { name: 'send_email', arguments: { to: 'jane@example.com', subject: 'Hello', body: 'Hi Jane.' } };
const script = { provider: 'scripted' as const, turns: [{ toolCalls: [email] }, { text: 'Sent.' }] };
const approver = { userId: 'pat', groups: ['approver'] };
const folders: string[] = [];
afterAll(async () => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));
const dataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'guarded-agents-restart-'));
  folders.push(dir);
  return dir;
};

let count = 0;
/** Creates a run and starts it, as POST /runs does. */
const startRun = async (system: DemoSystem, options: { start?: boolean } = {}) => {
  const runId = `run-restart-${process.pid}-${++count}`;
  await system.runs.create(startingRun({ runId, owner: 'adam', groups: ['admin'], input: 'Email Jane', maxIterations: 5, script }));
  if (options.start !== false) await system.deps.startExecution(runId);
  return runId;
};
/** Waits for the state asserted on, never for a time. */
const until = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const pendingOf = (system: DemoSystem, runId: string) =>
  until(async () => (await system.approvals.listPending()).find((a) => a.runId === runId), 'a pending approval');
const sentFor = async (system: DemoSystem, runId: string) =>
  (await system.deps.audit.listByRun(runId)).filter((r) => r.tool === 'send_email' && r.status === 'executed').length;

// Each test starts the system twice (a synth each): on a busy 2-core machine that alone can pass 20 s.
describe('local mode with DATA_DIR: restarts', { timeout: 60_000 }, () => {
  it('decides nothing on a clean stop: the approval stays pending, the run resumes after a restart and runs once when approved', async () => {
    const dir = await dataDir();
    const first = await startDemoSystem({ dataDir: dir });
    const waitingRun = await startRun(first);
    const { approvalId } = await pendingOf(first, waitingRun);
    // A crash during POST /runs: the run was written, its execution never started.
    const orphan = await startRun(first, { start: false });
    // Documents live in the embedded S3 under DATA_DIR: what was added or deleted stays so.
    await first.documents.put('notes/added.md', 'Added before the restart.');
    await first.documents.remove('policies/expense-policy.md');
    await first.stop();

    const second = await startDemoSystem({ dataDir: dir });
    try {
      expect([
        await second.documents.exists('notes/added.md'),
        await second.documents.exists('policies/expense-policy.md'),
        await second.documents.exists('policies/leave-policy.md'),
      ]).toEqual([true, false, true]);
      expect(second.resumed.sort()).toEqual([waitingRun, orphan].sort());
      expect(await second.approvals.get(approvalId)).toMatchObject({ status: 'PENDING' });
      expect((await second.runs.load(waitingRun))?.run.status).toBe('WAITING_FOR_APPROVAL');
      // The orphan runs to its own approval; the waiting run waits again, and can be decided.
      await until(async () => (second.waitingApprovals().includes(approvalId) ? true : undefined), 'the resumed wait');
      const { taskToken } = await second.approvals.decide(approvalId, 'approve', approver);
      await second.deps.sendTaskSuccess(taskToken, { approvalId, decision: 'approve' });
      await second.executions.get(waitingRun)?.finished;
      expect((await second.runs.load(waitingRun))?.run).toMatchObject({ status: 'SUCCEEDED', output: 'Sent.' });
      expect(await sentFor(second, waitingRun)).toBe(1);
      expect(await pendingOf(second, orphan)).toMatchObject({ tool: 'send_email' });
    } finally {
      await second.stop();
    }
  });

  it('keeps a run’s information-flow label across a restart: its sinks still wait for a person afterwards', async () => {
    const dir = await dataDir();
    const first = await startDemoSystem({ dataDir: dir });
    const leak = (d: string) => ({ name: 'fetch_url', arguments: { url: `https://example.com/?d=${d}` } });
    const runId = `run-restart-flow-${process.pid}`;
    await first.runs.create(
      startingRun({
        runId,
        owner: 'uma',
        groups: ['user'],
        input: 'Read the invoice',
        maxIterations: 5,
        script: {
          provider: 'scripted',
          turns: [
            { toolCalls: [{ name: 'read_document', arguments: { path: 'inbox/supplier-invoice.md' } }] },
            { toolCalls: [leak('before')] },
            { toolCalls: [leak('after')] },
            { text: 'done' },
          ],
        },
      }),
    );
    await first.deps.startExecution(runId);
    const before = await pendingOf(first, runId);
    expect(before.why).toContain('through read_document (c1-1)');
    await first.stop();

    const second = await startDemoSystem({ dataDir: dir });
    try {
      expect((await second.runs.load(runId))?.run.untrusted).toEqual({ tool: 'read_document', callId: 'c1-1' });
      await until(async () => (second.waitingApprovals().includes(before.approvalId) ? true : undefined), 'the resumed wait');
      const { taskToken } = await second.approvals.decide(before.approvalId, 'deny', approver);
      await second.deps.sendTaskSuccess(taskToken, { approvalId: before.approvalId, decision: 'deny' });
      // The next turn's sink, made after the restart, waits too: the label came back with the run.
      const after = await until(
        async () => (await second.approvals.listPending()).find((a) => a.runId === runId && a.callId === 'c3-1'),
        'the second approval',
      );
      expect(after).toMatchObject({ tool: 'fetch_url', why: expect.stringContaining('through read_document (c1-1)') });
    } finally {
      await second.stop();
    }
  });

  it('ends an approval that expired while the system was down as APPROVAL_EXPIRED, marked and audited', async () => {
    const dir = await dataDir();
    const first = await startDemoSystem({ dataDir: dir, approvalTimeoutMs: 1000 });
    const runId = await startRun(first);
    // Read by its id, whatever its status: with a one-second timeout, a loaded machine may see it
    // only once it is no longer pending (listed pending, it could be missed for good).
    const { approvalId, expiresAt } = await until(async () => first.approvals.get(approvalIdOf(runId, 'c1-1')), 'the approval');
    await first.stop();
    // Down until the approval's time has run out.
    await until(async () => (Date.now() / 1000 > expiresAt ? true : undefined), 'the approval to expire');

    const second = await startDemoSystem({ dataDir: dir, approvalTimeoutMs: 1000 });
    try {
      await second.executions.get(runId)?.finished;
      const snapshot = await second.runs.load(runId);
      expect(snapshot?.run.status).toBe('SUCCEEDED');
      expect(snapshot?.calls).toEqual([expect.objectContaining({ status: 'expired', code: 'APPROVAL_EXPIRED' })]);
      expect(await second.approvals.get(approvalId)).toMatchObject({ status: 'EXPIRED' });
      expect((await second.deps.audit.listByRun(runId)).map((r) => r.status)).toEqual(['expired']);
    } finally {
      await second.stop();
    }
  });
});

/** `npm start` as a process of its own, on a free port; resolves once it says it is ready. */
const serve = (dir: string) =>
  new Promise<{ child: ChildProcess; base: string; output: () => string }>((resolve, reject) => {
    const child = spawn(join(REPO, 'node_modules', '.bin', 'node'), [join(REPO, 'infra', 'local', 'server.ts')], {
      cwd: REPO,
      env: { ...process.env, PORT: '0', DATA_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /guarded-agents local: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      // The console line comes last of what it prints at start.
      if (ready?.[1] && output.includes('Console:')) resolve({ child, base: ready[1], output: () => output });
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });

describe('npm start with DATA_DIR: a crash (SIGKILL)', () => {
  it('resumes the run after a restart; its pending approval can still be decided and the email goes out once', async () => {
    const dir = await dataDir();
    const api = (base: string, method: string, path: string, token: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }).then(async (r) => (await r.json()) as Record<string, unknown>);
    const first = await serve(dir);
    const { runId } = (await api(first.base, 'POST', '/runs', 'local-admin-token', { input: 'Email Jane', model: script })) as {
      runId: string;
    };
    const pending = await until(
      async () =>
        (
          (await api(first.base, 'GET', '/approvals?status=pending', 'local-approver-token')).approvals as Array<{
            approvalId: string;
            runId: string;
          }>
        ).find((a) => a.runId === runId),
      'a pending approval',
    );
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;

    const second = await serve(dir);
    try {
      expect(second.output()).toContain('Resumed 1 unfinished run');
      const decided = await until(async () => {
        const answer = await api(second.base, 'POST', `/approvals/${pending.approvalId}`, 'local-approver-token', { decision: 'approve' });
        return answer.status === 'APPROVED' ? answer : undefined;
      }, 'the decision');
      expect(decided).toMatchObject({ decidedBy: 'pat' });
      const run = await until(async () => {
        const r = await api(second.base, 'GET', `/runs/${runId}`, 'local-admin-token');
        return r.status === 'SUCCEEDED' ? r : undefined;
      }, 'the run to finish');
      expect(run.calls).toEqual([expect.objectContaining({ tool: 'send_email', status: 'executed' })]);
      const records = (await api(second.base, 'GET', `/runs/${runId}/audit`, 'local-admin-token')).records as Array<{
        status: string;
        tool: string;
      }>;
      expect(records.filter((r) => r.status === 'executed')).toHaveLength(1);
      // And the embedded SES received it once (the mail of the crashed process is gone with it).
      const { mail } = (await (await fetch(`${second.base}/local/mail`)).json()) as { mail: Array<{ subject: string }> };
      expect(mail.map((m) => m.subject)).toEqual(['Hello']);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  });
});

describe('a crash in the middle of a tool call (SIGKILL, with DATA_DIR)', () => {
  it('resumes the run: the next attempt takes the call over at once, the dead attempt is audited as interrupted, the call runs', async () => {
    const dir = await dataDir();
    const runId = `run-restart-mid-call-${process.pid}`;
    const child = spawn(process.execPath, [join(REPO, 'test/support/crashing-system.ts'), dir, runId], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => ((output += chunk.toString()), output.includes('claimed') && resolve()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => reject(new Error(`the system exited (${code}) before its call held its claim: ${output}`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const page = new Response('<html><body>Back.</body></html>', { headers: { 'content-type': 'text/html' } });
    const second = await startDemoSystem({ dataDir: dir, fetch: (async () => page.clone()) as unknown as typeof fetch });
    try {
      expect(second.resumed).toEqual([runId]);
      await second.executions.get(runId)?.finished;
      const snapshot = await second.runs.load(runId);
      expect(snapshot?.run).toMatchObject({ status: 'SUCCEEDED', output: 'Fetched.' });
      expect(snapshot?.calls).toEqual([expect.objectContaining({ tool: 'fetch_url', status: 'executed' })]);
      expect((await second.deps.audit.listByRun(runId)).map((r) => r.status)).toEqual(['interrupted', 'executed']);
    } finally {
      await second.stop();
    }
  });
});
