import { describe, expect, it } from 'vitest';
import { answerRoom, effectiveBudget, judgeCallBudget, judgeModelCall, spentOf } from '#shared/runs/run-budget.ts';

const prices = { inputPerMillion: 3, outputPerMillion: 15 };

describe('effectiveBudget', () => {
  it('lowers the deployment’s caps, never raises or removes one', () => {
    expect(effectiveBudget({ toolCalls: 500, tokens: 2000 }, { toolCalls: 50 })).toEqual({ toolCalls: 50, tokens: 2000 });
    expect(effectiveBudget({ toolCalls: 5 }, { toolCalls: 50, usd: 1 })).toEqual({ toolCalls: 5, usd: 1 });
    expect(effectiveBudget(undefined, { tokens: 10 })).toEqual({ tokens: 10 });
    expect(effectiveBudget(undefined, undefined)).toBeUndefined();
  });
});

describe('judgeModelCall', () => {
  const usage = { inputTokens: 800, outputTokens: 200, modelCalls: 2 };
  it('gives a run with no budget the whole answer, and a prompt bound past its caps nothing', () => {
    expect(judgeModelCall({}, undefined, 50_000)).toEqual({ allow: true, maxAnswerTokens: 2048 });
    expect(judgeModelCall({ usage }, prices, 50_000)).toEqual({ allow: true, maxAnswerTokens: 2048 });
    expect(judgeModelCall({ budget: { tokens: 1 } }, undefined, 10)).toMatchObject({ allow: false, budget: 'its token budget (1)' });
  });

  it('shrinks the answer to what the token cap leaves after the prompt’s bound: 10,000 - 1,000 spent - 7,000 of prompt is 2,000', () => {
    expect(judgeModelCall({ budget: { tokens: 10_000 }, usage }, undefined, 7000)).toEqual({ allow: true, maxAnswerTokens: 2000 });
    // Room for less than a useful answer (256): the call is not made, and the refusal names the cap.
    expect(judgeModelCall({ budget: { tokens: 10_000 }, usage }, undefined, 8800)).toEqual({
      allow: false,
      budget: 'its token budget (10000)',
      reason: 'its token budget (10000) has no room for the next model call (a prompt of up to 8800 tokens and an answer of at least 256)',
    });
  });

  it('prices the ceiling for a dollar cap: $3 and $15 per million, 1,000 spent cost $0.0054; a 10,000-token prompt $0.03; $0.05 leaves room for 973', () => {
    expect(judgeModelCall({ budget: { usd: 0.05 }, usage }, prices, 10_000)).toEqual({ allow: true, maxAnswerTokens: 973 });
    expect(judgeModelCall({ budget: { usd: 0.035 }, usage }, prices, 10_000)).toMatchObject({
      allow: false,
      budget: 'its budget of $0.035',
    });
    // Without prices a dollar cap cannot be priced (the API refuses such a budget): it does not hold the call.
    expect(judgeModelCall({ budget: { usd: 0.001 }, usage }, undefined, 10_000)).toEqual({ allow: true, maxAnswerTokens: 2048 });
  });
});

describe('answerRoom', () => {
  it('is the tightest of what is left, at most what is wanted', () => {
    expect(answerRoom({}, 100, undefined, 2048)).toBe(2048);
    expect(answerRoom({ tokens: 5000 }, 3000, undefined, 2048)).toBe(2000);
    expect(answerRoom({ tokens: 5000, usd: 0 }, 3000, prices, 2048)).toBeLessThan(0);
  });
});

describe('judgeCallBudget and spentOf', () => {
  it('allows a turn that fits what is left, refuses one that does not', () => {
    expect(judgeCallBudget({ budget: { toolCalls: 3 }, callCount: 1 }, 2)).toEqual({ allow: true });
    expect(judgeCallBudget({ budget: { toolCalls: 3 }, callCount: 2 }, 2)).toMatchObject({
      allow: false,
      reason: expect.stringContaining('2 made, 2 more'),
    });
    expect(judgeCallBudget({ callCount: 1_000 }, 12)).toEqual({ allow: true });
  });

  it('reports what was spent, with dollars only where prices are declared', () => {
    expect(spentOf({ callCount: 4, usage: { inputTokens: 1000, outputTokens: 100, modelCalls: 1 } }, prices)).toEqual({
      toolCalls: 4,
      tokens: 1100,
      usd: 0.0045,
    });
    expect(spentOf({}, undefined)).toEqual({ toolCalls: 0, tokens: 0, usd: null });
  });
});
