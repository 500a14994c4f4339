import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../infra/eval/eval-cli.ts';
import { evalMain } from '../../../infra/eval/eval-main.ts';
import type { EvalReport } from '../../../infra/eval/eval-report.ts';
import { startOpenAiReplay } from '../../support/openai-replay.ts';
import { startOpenAiEcho } from '../../support/openai-echo.ts';
import { loadCaseFile, parseCaseFile } from '../../../infra/eval/case-file.ts';
import { progressCount, progressSteps } from '../../../infra/progress-count.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');
const readReport = (out: string) => JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as EvalReport;
const quietly = async (run: () => Promise<number>) => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const progress = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await run(), printed: log.mock.calls.map((c) => String(c[0])).join('\n') };
  } finally {
    log.mockRestore();
    progress.mockRestore();
  }
};

const MODEL_ENV = ['MODEL_PROVIDER', 'OPENAI_BASE_URL', 'OPENAI_MODEL', 'OPENAI_API_KEY'] as const;
/** The local system's model set to an OpenAI-compatible server on loopback (reset after each test); a fresh report folder. */
const useOpenAiModel = (baseUrl: string, model: string, folder: string) => {
  Object.assign(process.env, {
    MODEL_PROVIDER: 'openai-compatible',
    OPENAI_BASE_URL: baseUrl,
    OPENAI_MODEL: model,
    OPENAI_API_KEY: 'sk-test',
  });
  return mkdtempSync(join(tmpdir(), folder));
};
afterEach(() => {
  for (const name of MODEL_ENV) delete process.env[name];
});

describe('npm run eval', () => {
  it('runs the shipped cases through a local system with the demo model: every case passes, and both reports are written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'eval-demo-'));
    const { code, printed } = await quietly(() => main(['--out', out, '--threshold', '1']));

    expect(code).toBe(0);
    const report = readReport(out);
    expect(report.model).toMatch(/demo model/);
    expect(report.overall.cases).toBeGreaterThanOrEqual(30);
    expect(report.cases.filter((c) => c.failures.length > 0)).toEqual([]);
    expect(report.overall.passRate).toBe(1);
    // The injection cases: the planted document's email is refused at screening or denied by the approver, never sent.
    const injection = report.cases.filter((c) => c.tags.includes('injection'));
    expect(injection.length).toBeGreaterThanOrEqual(5);
    expect(injection.some((c) => c.approvals > 0) && injection.some((c) => c.refusals > 0)).toBe(true);
    expect(printed).toContain('PASSED');
    const html = readFileSync(join(out, 'eval.html'), 'utf8');
    expect(html).toContain('PASSED');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/);
  });

  it('against a recorded OpenAI-compatible conversation: tokens and cost as reported, a wrong tool choice caught, exit 1 under the threshold', async () => {
    const replay = await startOpenAiReplay(join(fixtures, 'openai', 'eval-conversation.json'));
    const out = useOpenAiModel(replay.baseUrl, 'gpt-4o-mini', 'eval-openai-');
    try {
      const { code, printed } = await quietly(() =>
        main([
          '--cases',
          join(fixtures, 'eval', 'openai-cases.json'),
          '--out',
          out,
          '--threshold',
          '0.9',
          '--price-input',
          '0.15',
          '--price-output',
          '0.6',
        ]),
      );
      expect(code).toBe(1);
      const report = readReport(out);
      expect(report.model).toBe(`gpt-4o-mini at ${replay.baseUrl} (OpenAI-compatible)`);
      const byName = Object.fromEntries(report.cases.map((c) => [c.name, c]));
      expect(byName['order status']).toMatchObject({ passRate: 1, argumentMatchRate: 1, inputTokens: 612 + 790, outputTokens: 19 + 14 });
      // The recorded model obeyed the planted instruction; the approver denied it, so it never ran.
      expect(byName['planted email <b>']).toMatchObject({ passRate: 1, approvals: 1, inputTokens: 615 + 905 + 1010 });
      expect(byName['shipped?']).toMatchObject({ passRate: 0, selectionAccuracy: 0 });
      expect(byName['shipped?']?.failures).toEqual(['calls lookup_order', 'does not call search_knowledge_base']);
      expect(report.overall.passRate).toBeCloseTo(2 / 3);
      expect(report.overall.costUsd).toBeCloseTo(((1402 + 2530 + 1451) / 3) * 0.15e-6 + ((33 + 99 + 35) / 3) * 0.6e-6, 10);
      expect(printed).toContain('FAILED');
      // Every model request came to the recorded server, with the tools of the caller's role.
      expect(replay.requests).toHaveLength(7);
      // Case names are data in the page, never markup.
      expect(readFileSync(join(out, 'eval.html'), 'utf8')).toContain('planted email &lt;b&gt;');
    } finally {
      await replay.stop();
    }
  });

  it('judges the arguments as the model sent them: a long body whose fact comes late, and a denied call with the date past character 200', async () => {
    const replay = await startOpenAiReplay(join(fixtures, 'openai', 'eval-long-arguments.json'));
    const out = useOpenAiModel(replay.baseUrl, 'gpt-4o-mini', 'eval-long-');
    try {
      const { code } = await quietly(() =>
        main(['--cases', join(fixtures, 'eval', 'long-arguments-cases.json'), '--out', out, '--threshold', '1']),
      );
      const report = readReport(out);
      expect(report.cases.map((c) => [c.name, c.failures])).toEqual([
        ['long email, fact late', []],
        ['announcement denied, date late', []],
      ]);
      expect(report.overall).toMatchObject({ passRate: 1, argumentMatchRate: 1 });
      expect(code).toBe(0);
    } finally {
      await replay.stop();
    }
  });

  it('fails every answer check of the shipped cases for a model that only echoes the question back', async () => {
    const echo = await startOpenAiEcho();
    const out = useOpenAiModel(echo.baseUrl, 'echo', 'eval-echo-');
    try {
      await quietly(() => main(['--out', out]));
      const report = readReport(out);
      const shipped = loadCaseFile(join(import.meta.dirname, '..', '..', '..', 'infra', 'eval', 'cases', 'demo-cases.json'));
      const withAnswerCheck = shipped.cases.filter((c) => (c.expect.answer?.contains ?? []).length > 0).map((c) => c.name);
      expect(withAnswerCheck.length).toBeGreaterThanOrEqual(5);
      for (const name of withAnswerCheck) {
        const result = report.cases.find((c) => c.name === name);
        expect(result?.passRate, name).toBe(0);
        // Its answer check is among the failures, except where the case says why its strings come from the prompt.
        const fromPrompt = shipped.cases.find((c) => c.name === name)?.expect.answer?.fromPrompt !== undefined;
        if (!fromPrompt)
          expect(
            result?.failures.some((f) => f.startsWith('answer contains')),
            `${name}: ${result?.failures.join('; ')}`,
          ).toBe(true);
      }
    } finally {
      await echo.stop();
    }
  });

  it('refuses a case file whose answer check only repeats the prompt, naming the case, unless it says why', () => {
    const file = (answer: Record<string, unknown>) =>
      JSON.stringify({ cases: [{ name: 'echo me', prompt: 'Where is my order ORD-104231?', role: 'user', expect: { answer } }] });
    expect(() => parseCaseFile(file({ contains: ['ORD-104231', 'order'] }), 'cases.json')).toThrow(
      /cases\.json: case "echo me": every string of answer\.contains \("ORD-104231", "order"\) is already in the prompt/,
    );
    expect(parseCaseFile(file({ contains: ['ORD-104231', 'packed'] }), 'cases.json').cases).toHaveLength(1);
    expect(
      parseCaseFile(file({ contains: ['ORD-104231'], fromPrompt: 'The order does not exist: nothing comes back to relay.' }), 'c').cases,
    ).toHaveLength(1);
  });

  it('refuses a bad case file or option with a clear message and exit code 2, before starting anything', async () => {
    const errors: string[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
    try {
      expect(await main(['--cases', join(fixtures, 'eval', 'missing.json')])).toBe(2);
      expect(await main(['--threshold', '7'])).toBe(2);
      expect(await main(['--url', 'ftp://x'])).toBe(2);
      expect(await main(['--nonsense'])).toBe(2);
      // The package's evalMain, given no app: it needs a URL, and a case file.
      expect(await evalMain(['--cases', join(fixtures, 'eval', 'openai-cases.json')])).toBe(2);
      expect(await evalMain(['--url', 'http://127.0.0.1:1/'])).toBe(2);
    } finally {
      error.mockRestore();
    }
    expect(errors[0]).toMatch(/Cannot read the case file .*missing\.json: ENOENT/);
    expect(errors[1]).toMatch(/--threshold must be a number from 0 to 1, not 7/);
    expect(errors[2]).toMatch(/--url must be the API base URL/);
    expect(errors[3]).toMatch(/Unknown option '--nonsense'/);
    expect(errors[4]).toMatch(/--url is needed/);
    expect(errors[5]).toMatch(/--cases <file> is needed/);
  });
});

describe('progressCount (npm run eval’s progress)', () => {
  const written = (isTTY: boolean, runs: number) => {
    let out = '';
    const progress = progressCount({ isTTY, write: (chunk: string) => Boolean((out += chunk)) }, 'run(s)', 10);
    for (let i = 0; i < runs; i += 1) progress.tick();
    progress.end();
    return out;
  };

  it('rewrites one line on a terminal, and writes whole lines to a log', () => {
    expect(written(true, 3)).toBe('\r1 run(s) done\r2 run(s) done\r3 run(s) done\n');
    expect(written(false, 23)).toBe('10 run(s) done\n20 run(s) done\n23 run(s) done\n');
    expect(written(false, 20)).toBe('10 run(s) done\n20 run(s) done\n');
  });
});

describe('progressSteps (npm run bench’s progress)', () => {
  const written = (isTTY: boolean) => {
    let out = '';
    const progress = progressSteps({ isTTY, write: (chunk: string) => Boolean((out += chunk)) });
    progress.step('latency');
    progress.step('bundles');
    progress.end();
    return out;
  };

  it('rewrites one line on a terminal, clearing it at the end, and writes a line per step to a log', () => {
    expect(written(true)).toBe('\r\x1b[Klatency\r\x1b[Kbundles\r\x1b[K');
    expect(written(false)).toBe('latency\nbundles\n');
  });
});
