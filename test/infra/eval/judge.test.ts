import { describe, expect, it } from 'vitest';
import { CaseFileError, parseCaseFile, type EvalCase } from '../../../infra/eval/case-file.ts';
import { judge, matches, type ObservedRun } from '../../../infra/eval/judge.ts';

const run = (over: Partial<ObservedRun> = {}): ObservedRun => ({
  runId: 'run-1',
  status: 'SUCCEEDED',
  iterations: 2,
  output: 'Order ORD-1 is packed.',
  calls: [],
  approvals: [],
  usage: null,
  latencyMs: 10,
  ...over,
});
const call = (tool: string, args: unknown, status = 'executed', code: string | null = null) =>
  ({ callId: `c-${tool}`, tool, status, code, arguments: args }) as ObservedRun['calls'][number];
const evalCase = (expect: EvalCase['expect']): EvalCase => ({ name: 'c', prompt: 'p', role: 'user', expect });

describe('argument matchers', () => {
  it('matches a subset by default, every key exactly with exact, strings by $pattern, arrays item by item', () => {
    expect(matches({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(matches({ a: 1 }, { a: 1, b: 2 }, true)).toBe(false);
    expect(matches({ a: 1, b: 2 }, { a: 1, b: 2 }, true)).toBe(true);
    expect(matches({ a: 1 }, { a: '1' })).toBe(false);
    expect(matches({ q: { $pattern: '^pass', $flags: 'i' } }, { q: 'Password reset' })).toBe(true);
    expect(matches({ q: { $pattern: '^pass' } }, { q: 'Password reset' })).toBe(false);
    expect(matches({ q: { $pattern: '.' } }, { q: 5 })).toBe(false);
    expect(matches({ l: [1, { x: 2 }] }, { l: [1, { x: 2, y: 3 }] })).toBe(true);
    expect(matches({ l: [1] }, { l: [1, 2] })).toBe(false);
    expect(matches({ a: { b: 1 } }, { a: null })).toBe(false);
    expect(matches({ missing: null }, {})).toBe(false);
  });
});

describe('judge', () => {
  it('passes a run that called the tool with matching arguments and ended as expected', () => {
    const verdict = judge(
      evalCase({ calls: [{ tool: 'lookup_order', arguments: { orderId: 'ORD-1' } }], notCalled: ['send_email'], maxIterations: 2 }),
      run({ calls: [call('lookup_order', { orderId: 'ORD-1' })] }),
    );
    expect(verdict).toMatchObject({ passed: true, selectionCorrect: true, argumentChecks: 1, argumentMatches: 1 });
  });

  it('tells a wrong tool from wrong arguments: selection and argument checks are counted apart', () => {
    const wrongTool = judge(
      evalCase({ calls: [{ tool: 'lookup_order', arguments: { orderId: 'ORD-1' } }] }),
      run({ calls: [call('search', {})] }),
    );
    expect(wrongTool).toMatchObject({ passed: false, selectionCorrect: false, argumentChecks: 0 });
    const wrongArgs = judge(
      evalCase({ calls: [{ tool: 'lookup_order', arguments: { orderId: 'ORD-1' } }] }),
      run({ calls: [call('lookup_order', { orderId: 'ORD-2' })] }),
    );
    expect(wrongArgs).toMatchObject({ passed: false, selectionCorrect: true, argumentChecks: 1, argumentMatches: 0 });
  });

  it('notExecuted holds when the tool was not asked for, refused or denied, and fails once it ran', () => {
    const c = evalCase({ notExecuted: ['send_email'] });
    expect(judge(c, run()).passed).toBe(true);
    expect(judge(c, run({ calls: [call('send_email', {}, 'rejected', 'PERMISSION_DENIED')] })).passed).toBe(true);
    expect(judge(c, run({ calls: [call('send_email', {}, 'denied', 'APPROVAL_DENIED')] })).passed).toBe(true);
    expect(judge(c, run({ calls: [call('send_email', {}, 'executed')] })).passed).toBe(false);
    expect(judge(c, run({ calls: [call('send_email', {}, 'timed_out', 'TIMEOUT')] })).passed).toBe(false);
  });

  it('checks refusals with their code, approvals, the status, the iteration bound and the answer', () => {
    const c = evalCase({
      refused: [{ tool: 'fetch_url', code: 'VALIDATION_FAILED' }],
      approval: [{ tool: 'send_email' }],
      status: 'SUCCEEDED',
      maxIterations: 2,
      answer: { contains: ['packed'], notContains: ['shipped'] },
    });
    const good = run({ calls: [call('fetch_url', {}, 'rejected', 'VALIDATION_FAILED')], approvals: ['send_email'] });
    expect(judge(c, good).passed).toBe(true);
    const failed = (over: Partial<ObservedRun>) =>
      judge(c, { ...good, ...over })
        .checks.filter((k) => !k.passed)
        .map((k) => k.description);
    expect(failed({ calls: [call('fetch_url', {}, 'rejected', 'PERMISSION_DENIED')] })).toEqual([
      'fetch_url refused with VALIDATION_FAILED',
    ]);
    expect(failed({ approvals: [] })).toEqual(['send_email waits for approval']);
    expect(failed({ status: 'MAX_ITERATIONS', iterations: 3 })).toEqual(['ends SUCCEEDED', 'at most 2 iterations']);
    expect(failed({ output: 'It has SHIPPED.' })).toEqual(['answer contains "packed"', 'answer does not contain "shipped"']);
  });
});

describe('case files', () => {
  const file = (cases: unknown) => JSON.stringify({ cases });
  const good = { name: 'a', prompt: 'p', role: 'user', expect: {} };

  it('refuses what is not a case file with the file and the problem named', () => {
    expect(() => parseCaseFile('{', 'x.json')).toThrow(/x\.json is not JSON/);
    expect(() => parseCaseFile(file([{ ...good, role: 'root' }]), 'x.json')).toThrow(CaseFileError);
    expect(() => parseCaseFile(file([{ ...good, extra: 1 }]), 'x.json')).toThrow(/x\.json: .*extra/);
    expect(() => parseCaseFile(file([good, good]), 'x.json')).toThrow(/two cases are named "a"/);
    expect(() =>
      parseCaseFile(file([{ ...good, expect: { calls: [{ tool: 't', arguments: { q: { $pattern: '(' } } }] } }]), 'x.json'),
    ).toThrow(/case "a", calls\[0\]\.arguments\.q: .*valid regular expression/);
    expect(parseCaseFile(file([good]), 'x.json').cases).toHaveLength(1);
  });
});
