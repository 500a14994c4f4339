import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

// The Quickstart as a newcomer runs it: `npm start` (the README's command, a process of its own),
// then every command of the tour in docs/getting-started.md, as written, through bash and curl,
// against it. (`npm ci`, `npm test` and `npx cdk synth` are what CI's .ci/run runs on a clean
// checkout.) A changed route, token, body or answer the page promises fails here.

const run = promisify(execFile);

/** The bash block after "A short tour" in the getting-started page: its commands, continuation lines joined, comments dropped. */
const tourCommands = (): string[] => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'getting-started.md'), 'utf8');
  const block = /A short tour:\n\n```bash\n([\s\S]*?)\n```/.exec(page)?.[1];
  if (!block) throw new Error('docs/getting-started.md has no "A short tour" bash block');
  return block
    .replaceAll(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
};

/** The state transitions the tour promises its first run takes (`"stateTransitions": N` in its comment). */
const promisedTransitions = (): number => {
  const page = readFileSync(join(REPO_ROOT, 'docs', 'getting-started.md'), 'utf8');
  return Number(/# -> status SUCCEEDED.*"stateTransitions": (\d+)/.exec(page)?.[1]);
};

/** The README's Quickstart block: the commands a newcomer types first. */
const readmeQuickstart = (): string => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return /## Try it[\s\S]*?```bash\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';
};

let server: ChildProcess | undefined;
let base = '';

beforeAll(async () => {
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', PATH: `${join(REPO_ROOT, 'node_modules', '.bin')}:${process.env.PATH}` },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server = child;
  base = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /guarded-agents local: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (ready?.[1] && output.includes('Console:')) resolve(ready[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}): ${output}`)));
  });
}, 120_000);

afterAll(() => {
  // npm runs node as its child: the whole group goes.
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
});

/** Runs one command of the page through bash, against the server started above; its answer as JSON. */
const shell = async (command: string, ids: { runId?: string; approvalId?: string }): Promise<unknown> => {
  const line = command
    .replaceAll('localhost:3000', base.replace('http://', ''))
    .replaceAll('<runId>', ids.runId ?? '<runId>')
    .replaceAll('<approvalId>', ids.approvalId ?? '<approvalId>');
  const { stdout } = await run('bash', ['-c', line]);
  return JSON.parse(stdout) as unknown;
};

/** Runs it again until its answer shows what the page says comes next (a person would look again). */
const until = async <T>(command: string, ids: { runId?: string; approvalId?: string }, done: (answer: T) => boolean): Promise<T> => {
  for (;;) {
    const answer = (await shell(command, ids)) as T;
    if (done(answer)) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('the Quickstart, as the docs give it', () => {
  it('starts with npm ci && npm start, then npm test, in the README', () => {
    expect(readmeQuickstart()).toMatch(/^npm ci && npm start\s/m);
    expect(readmeQuickstart()).toMatch(/^npm test\s/m);
  });

  it('runs every command of the tour against npm start, with the answers the page shows', async () => {
    const commands = tourCommands();
    expect(commands.length).toBeGreaterThanOrEqual(7);
    expect(commands.every((c) => c.startsWith('curl '))).toBe(true);
    const ids: { runId?: string; approvalId?: string } = {};
    const seen: string[] = [];
    for (const command of commands) {
      if (command.includes('-X POST') && command.includes('/runs')) {
        const started = (await shell(command, ids)) as { runId: string; status: string };
        expect(started).toEqual({ runId: expect.stringMatching(/^run-/), status: 'RUNNING' });
        ids.runId = started.runId;
        seen.push('started');
      } else if (/\/runs\/<runId>$|\/runs\/<runId> /.test(command)) {
        // "-> status SUCCEEDED, the answer, each call with its status and duration, "stateTransitions": N".
        const done = await until<{ status: string; stateTransitions?: number; calls: unknown[]; output?: string }>(
          command,
          ids,
          (r) => r.status !== 'RUNNING' && r.stateTransitions !== undefined,
        );
        expect(done).toMatchObject({ status: 'SUCCEEDED', stateTransitions: promisedTransitions(), output: expect.any(String) });
        expect(done.calls).toEqual([expect.objectContaining({ status: 'executed', durationMs: expect.any(Number) })]);
        seen.push('finished');
      } else if (command.includes('/audit')) {
        const audit = (await shell(command, ids)) as { records: unknown[] };
        expect(audit.records.length).toBeGreaterThan(0);
        seen.push('audit');
      } else if (command.includes('approvals?status=pending')) {
        const pending = await until<{ approvals: Array<{ approvalId: string; runId: string }> }>(command, ids, (r) =>
          r.approvals.some((a) => a.runId === ids.runId),
        );
        ids.approvalId = pending.approvals.find((a) => a.runId === ids.runId)?.approvalId;
        seen.push('pending');
      } else if (command.includes('/approvals/<approvalId>')) {
        expect(await shell(command, ids)).toMatchObject({ status: 'APPROVED' });
        seen.push('approved');
      } else if (command.includes('/local/mail')) {
        // "The run resumes, sends the email once".
        const mail = await until<{ mail: Array<{ to: readonly string[] }> }>(command, ids, (r) =>
          r.mail.some((m) => JSON.stringify(m).includes('jane@example.com')),
        );
        expect(mail.mail.filter((m) => JSON.stringify(m).includes('jane@example.com'))).toHaveLength(1);
        seen.push('mail');
      } else throw new Error(`a command of the tour this test does not know: ${command}`);
    }
    expect(seen).toEqual(['started', 'finished', 'audit', 'started', 'pending', 'approved', 'mail']);
  }, 120_000);
});
