import { describe, expect, it } from 'vitest';
import { effectiveBudget, judgeCallBudget, judgeModelBudget, spentOf } from '#shared/runs/run-budget.ts';

const prices = { inputPerMillion: 3, outputPerMillion: 15 };

describe('effectiveBudget', () => {
  it('lowers the deployment’s caps, never raises or removes one', () => {
    expect(effectiveBudget({ toolCalls: 500, tokens: 2000 }, { toolCalls: 50 })).toEqual({ toolCalls: 50, tokens: 2000 });
    expect(effectiveBudget({ toolCalls: 5 }, { toolCalls: 50, usd: 1 })).toEqual({ toolCalls: 5, usd: 1 });
    expect(effectiveBudget(undefined, { tokens: 10 })).toEqual({ tokens: 10 });
    expect(effectiveBudget(undefined, undefined)).toBeUndefined();
  });
});

describe('judgeModelBudget', () => {
  const usage = { inputTokens: 800, outputTokens: 200, modelCalls: 2 };
  it('allows the first call of any run, and a run with no budget', () => {
    expect(judgeModelBudget({ budget: { tokens: 1 } }, undefined)).toEqual({ allow: true });
    expect(judgeModelBudget({ usage }, prices)).toEqual({ allow: true });
  });

  it('reserves the average call before the next one: 1,000 spent in 2 calls, so the next needs 1,500 free', () => {
    expect(judgeModelBudget({ budget: { tokens: 1500 }, usage }, undefined)).toEqual({ allow: true });
    expect(judgeModelBudget({ budget: { tokens: 1499 }, usage }, undefined)).toMatchObject({
      allow: false,
      reason: expect.stringContaining('1499'),
    });
  });

  it('prices tokens for a dollar cap: 1,200 input and 300 output at $3 and $15 per million is $0.0081', () => {
    expect(judgeModelBudget({ budget: { usd: 0.0081 }, usage }, prices)).toEqual({ allow: true });
    expect(judgeModelBudget({ budget: { usd: 0.008 }, usage }, prices)).toMatchObject({ allow: false });
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
