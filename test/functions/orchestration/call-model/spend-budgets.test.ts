import { describe, expect, it } from 'vitest';
import { type ModelProvider } from '#shared/model/index.ts';
import { type RunSnapshot } from '#shared/runs/index.ts';
import { type CallModelDeps } from '#functions/orchestration/call-model/call-model.ts';
import { runOf, scripted, harness, user, lookupCall } from './call-model-harness.ts';

// CallModel and the budgets per user and tenant over windows: reserved before, settled after.

describe('CallModel: budgets per user and tenant over windows', () => {
  /** A spend guard that admits what `allow` says, and records what it was asked. */
  const fakeSpend = (allow: { model: boolean; toolCalls: boolean }) => {
    const asked: string[] = [];
    const crossing = { counter: { key: 'spend#tenant#acme#2026-11' }, dimension: 'toolCalls', spent: 8, cap: 10 };
    const spend = {
      reserveModelCall: async (spender: object) => {
        asked.push(`model:${JSON.stringify(spender)}`);
        if (!allow.model)
          return {
            allow: false as const,
            reason: "tenant acme's budget for 2026-11 (1000 tokens) would be exceeded",
            stoppedBy: { kind: 'tenant', budget: "tenant acme's budget for 2026-11 (1000 tokens)" },
          };
        return {
          allow: true as const,
          crossings: [],
          settle: async (spent: unknown) => {
            asked.push(`settle:${JSON.stringify(spent ?? null)}`);
            return [];
          },
        };
      },
      reserveToolCalls: async (_spender: object, count: number) => {
        asked.push(`toolCalls:${count}`);
        return allow.toolCalls
          ? { allow: true as const, crossings: [crossing] }
          : {
              allow: false as const,
              reason: "user ann's budget for 2026-11-30 (3 tool calls) would be exceeded",
              stoppedBy: { kind: 'user', budget: "user ann's budget for 2026-11-30 (3 tool calls)" },
            };
      },
    } as unknown as CallModelDeps['spend'];
    return { spend, asked };
  };
  const tenantRun = (): RunSnapshot => ({ run: runOf({ tenant: 'acme' }), messages: [user], calls: [] });

  it('never calls the model when the tenant’s budget has no room for the call, and says whose budget it was', async () => {
    const { model, asked: modelAsked } = scripted();
    const { spend, asked } = fakeSpend({ model: false, toolCalls: true });
    const { callModel, store, events } = harness(tenantRun(), model, { spend });
    expect(await callModel({ runId: 'run-1' })).toEqual({ runId: 'run-1', done: true });
    expect(modelAsked).toEqual([]);
    expect(asked).toEqual(['model:{"user":"ann","tenant":"acme"}']);
    expect(store.current().run).toMatchObject({
      status: 'BUDGET_EXHAUSTED',
      output: "Stopped: tenant acme's budget for 2026-11 (1000 tokens) would be exceeded.",
      stoppedBy: { kind: 'tenant', budget: "tenant acme's budget for 2026-11 (1000 tokens)" },
    });
    expect(events).toEqual(['runEnded:BUDGET_EXHAUSTED:0']);
  });

  it('settles the model call with the usage reported, then makes none of a turn’s calls the user’s budget cannot pay for', async () => {
    const { model } = scripted({
      text: 'Two lookups.',
      toolCalls: [lookupCall('m1', 'ORD-1'), lookupCall('m2', 'ORD-2')],
      stopReason: 'tool_use',
      usage: { inputTokens: 120, outputTokens: 30 },
    });
    const { spend, asked } = fakeSpend({ model: true, toolCalls: false });
    const { callModel, store, audit } = harness(tenantRun(), model, { spend });
    await callModel({ runId: 'run-1' });
    expect(asked).toEqual(['model:{"user":"ann","tenant":"acme"}', 'settle:{"inputTokens":120,"outputTokens":30}', 'toolCalls:2']);
    expect(store.current().run).toMatchObject({
      status: 'BUDGET_EXHAUSTED',
      output: "Two lookups.\n\nStopped: user ann's budget for 2026-11-30 (3 tool calls) would be exceeded.",
      iteration: 1,
      stoppedBy: { kind: 'user' },
    });
    expect(store.current().calls.map((c) => c.code)).toEqual(['BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED']);
    expect(audit.map((r) => r.code)).toEqual(['BUDGET_EXHAUSTED', 'BUDGET_EXHAUSTED']);
  });

  it('tells the alarm when a reservation crosses its share, and goes on with the turn', async () => {
    const { model } = scripted({ toolCalls: [lookupCall('m1', 'ORD-100001')], stopReason: 'tool_use' });
    const { spend } = fakeSpend({ model: true, toolCalls: true });
    const crossed: string[] = [];
    const { callModel } = harness(tenantRun(), model, {
      spend,
      events: { spendCrossed: (c, run) => crossed.push(`${c.counter.key}:${c.dimension}:${run.runId}`) },
    });
    expect(await callModel({ runId: 'run-1' })).toMatchObject({ done: false, execute: [{ functionName: 'fn-lookup_order' }] });
    expect(crossed).toEqual(['spend#tenant#acme#2026-11:toolCalls:run-1']);
  });

  it('gives the reservation back when the model call fails, and fails the step', async () => {
    const model: ModelProvider = {
      name: 'down',
      converse: async () => {
        throw new Error('model unavailable');
      },
    };
    const { spend, asked } = fakeSpend({ model: true, toolCalls: true });
    const { callModel } = harness(tenantRun(), model, { spend });
    await expect(callModel({ runId: 'run-1' })).rejects.toThrow('model unavailable');
    expect(asked).toEqual(['model:{"user":"ann","tenant":"acme"}', 'settle:null']);
  });
});
