import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { flowEvidence } from '#functions/orchestration/call-model/flow-evidence.ts';
import { createToolRegistry, defaultBreaker, defineTool, limitPresets } from '#shared/tool/index.ts';

const listPayees = defineTool({
  name: 'list_payees',
  description: 'List the accounts the user pays. Returns each payee with its IBAN and a note.',
  input: z.strictObject({}),
  risk: 'read',
  output: 'untrusted',
  records: { payee: (rows) => (rows as Array<{ iban: string }>).map((r) => r.iban) },
  limits: limitPresets.read,
  timeoutMs: 1000,
  breaker: defaultBreaker,
  handler: async () => [],
});
const registry = createToolRegistry([listPayees]);
const turn = (id: string, name: string) => ({ role: 'assistant' as const, toolCalls: [{ id, name, arguments: {} }] });
const result = (callId: string, result: { ok: true; data: unknown } | { ok: false; error: never }) => ({
  role: 'tool' as const,
  results: [{ callId, result }],
});

describe('flowEvidence', () => {
  it('holds the request and the records the run’s calls returned, in lower case, and nothing from the rest of a result', () => {
    const evidence = flowEvidence(registry, 'Pay my rent', [
      { role: 'user', text: 'Pay my rent' },
      turn('m1', 'list_payees'),
      result('m1', { ok: true, data: [{ iban: 'SE35 5000', note: 'US133000000121212121212 is a payee too' }, { iban: ' GB29NWBK ' }] }),
    ]);
    expect(evidence.prompt).toBe('Pay my rent');
    expect([...(evidence.records.get('payee') ?? [])]).toEqual(['se35 5000', 'gb29nwbk']);
  });

  it('reads nothing from a result its record cannot read, a failed call, or a call to a tool that declares none', () => {
    const evidence = flowEvidence(registry, '', [
      turn('m1', 'list_payees'),
      result('m1', { ok: true, data: 'cut short…' }),
      turn('m2', 'list_payees'),
      result('m2', { ok: false, error: {} as never }),
      turn('m3', 'read_file'),
      result('m3', { ok: true, data: [{ iban: 'X' }] }),
    ]);
    expect([...(evidence.records.get('payee') ?? [])]).toEqual([]);
  });
});
