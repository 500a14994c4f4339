import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { boundedText } from '#shared/argument-types/index.ts';
import { FlowMode, judgeFlow, vouchFor } from '#shared/guards/information-flow.ts';
import { screenCall, screenFlow, screenToolCall } from '#shared/guards/screen-call.ts';
import { createToolRegistry, defaultBreaker, defineTool, limitPresets, lintTools, toolInvocationSchema } from '#shared/tool/index.ts';

const text = (description: string) => boundedText({ description, max: 64 });
const sendMoney = defineTool({
  name: 'send_money',
  description: 'Send money to a recipient. Returns a message saying it was sent.',
  input: z.strictObject({
    recipient: text('IBAN of the recipient, 64 characters at most.'),
    subject: text('Subject the recipient reads, one line.'),
  }),
  risk: 'write',
  reaches: 'external',
  sinkArguments: { recipient: ['prompt', 'record:payee'] },
  lintExceptions: { 'dangerous-verbs-are-destructive': 'Kept by the information-flow rules in these tests.' },
  limits: limitPresets.write,
  timeoutMs: 1000,
  breaker: defaultBreaker,
  handler: async () => ({}),
});
const label = { tool: 'read_file', callId: 'c1-1' };
const evidence = (prompt: string, payees: string[] = []) => ({
  prompt,
  records: new Map([['payee', new Set(payees.map((p) => p.toLowerCase()))]]),
});

describe('vouchFor: what vouches for a sink argument', () => {
  it('the user’s own words: a value written in the request, as a whole token, in any case', () => {
    expect(
      vouchFor(sendMoney, { recipient: 'GB29NWBK60161331926819', subject: 'x' }, evidence('Refund gb29nwbk60161331926819 please')),
    ).toEqual({
      recipient: 'prompt',
    });
    // Inside a longer token it is not the user's: an attacker's GB29 cannot ride on GB29NWBK….
    expect(vouchFor(sendMoney, { recipient: 'GB29', subject: 'x' }, evidence('Refund GB29NWBK60161331926819'))).toBeUndefined();
    // Too short to be the user's choice: "me" is in any request.
    expect(vouchFor(sendMoney, { recipient: 'me', subject: 'x' }, evidence('send it to me'))).toBeUndefined();
  });

  it('the user’s own records: a value a records tool returned in this run', () => {
    expect(
      vouchFor(sendMoney, { recipient: 'SE3550000000054910000003', subject: 'x' }, evidence('pay Spotify', ['SE3550000000054910000003'])),
    ).toEqual({
      recipient: 'record:payee',
    });
    expect(
      vouchFor(sendMoney, { recipient: 'US133000000121212121212', subject: 'x' }, evidence('pay Spotify', ['SE3550000000054910000003'])),
    ).toBeUndefined();
  });

  it('a list of recipients when each of them is vouched for, by any voucher the argument accepts; an empty list reaches no one', () => {
    const both = evidence('pay GB29NWBK60161331926819 and my landlord', ['SE3550000000054910000003']);
    expect(vouchFor(sendMoney, { recipient: ['GB29NWBK60161331926819', 'SE3550000000054910000003'] }, both)).toEqual({
      recipient: 'prompt',
    });
    // One stranger in the list and the call is not vouched for: the attacker's address cannot ride with the user's.
    expect(vouchFor(sendMoney, { recipient: ['GB29NWBK60161331926819', 'US133000000121212121212'] }, both)).toBeUndefined();
    expect(vouchFor(sendMoney, { recipient: ['GB29NWBK60161331926819', 7] }, both)).toBeUndefined();
    expect(vouchFor(sendMoney, { recipient: [] }, both)).toEqual({});
    expect(vouchFor(sendMoney, { recipient: null }, both)).toEqual({});
    expect(judgeFlow(sendMoney, label, FlowMode.APPROVE, { arguments: { recipient: [] }, vouchedBy: {} })).toEqual({ verdict: 'allow' });
    expect(judgeFlow(sendMoney, label, FlowMode.APPROVE, { arguments: { recipient: ['x'] }, vouchedBy: {} }).verdict).toBe('approve');
  });

  it('the user’s own date: an ISO date argument whose date the request writes in words, and no other date', () => {
    const prompt = evidence('Book it from January 11th to January 15th 2025, thanks');
    expect(vouchFor(sendMoney, { recipient: '2025-01-11' }, prompt)).toEqual({ recipient: 'prompt' });
    expect(vouchFor(sendMoney, { recipient: ['2025-01-11', '2025-01-15'] }, prompt)).toEqual({ recipient: 'prompt' });
    // A date the request does not write (an injection's), another year, or the date in another form is not the user's.
    expect(vouchFor(sendMoney, { recipient: '2025-03-01' }, prompt)).toBeUndefined();
    expect(vouchFor(sendMoney, { recipient: '2024-01-11' }, prompt)).toBeUndefined();
    expect(vouchFor(sendMoney, { recipient: '11/01/2025' }, prompt)).toBeUndefined();
  });

  it('nothing for a value that is not text, or a tool that names no sink arguments', () => {
    expect(vouchFor(sendMoney, { recipient: 42 }, evidence('pay 42 today'))).toBeUndefined();
    expect(vouchFor(sendMoney, { recipient: { iban: 'GB29NWBK60161331926819' } }, evidence('GB29NWBK60161331926819'))).toBeUndefined();
    expect(
      vouchFor({ sinkArguments: undefined }, { recipient: 'GB29NWBK60161331926819' }, evidence('GB29NWBK60161331926819')),
    ).toBeUndefined();
  });
});

describe('judgeFlow with vouchers', () => {
  it('lets a labelled sink call through only when what it carries covers every sink argument it has', () => {
    const args = { recipient: 'GB29NWBK60161331926819', subject: 'Refund' };
    expect(judgeFlow(sendMoney, label, FlowMode.APPROVE, { arguments: args, vouchedBy: { recipient: 'prompt' } })).toEqual({
      verdict: 'allow',
    });
    expect(judgeFlow(sendMoney, label, FlowMode.APPROVE, { arguments: args, vouchedBy: null }).verdict).toBe('approve');
    // A voucher the tool does not accept for that argument is no voucher.
    expect(judgeFlow(sendMoney, label, FlowMode.APPROVE, { arguments: args, vouchedBy: { recipient: 'record:friend' } }).verdict).toBe(
      'approve',
    );
    expect(judgeFlow(sendMoney, label, FlowMode.REFUSE, { arguments: args, vouchedBy: { subject: 'prompt' } }).verdict).toBe('refuse');
    // A sink that names no sink arguments waits whatever it carries.
    const { sinkArguments: _, ...plain } = sendMoney;
    expect(judgeFlow(plain, label, FlowMode.APPROVE, { arguments: args, vouchedBy: { recipient: 'prompt' } }).verdict).toBe('approve');
  });
});

describe('screenFlow with evidence', () => {
  const registry = createToolRegistry([sendMoney]);
  const call = (recipient: string) =>
    screenCall(registry, { id: 'm1', name: 'send_money', arguments: { recipient, subject: 'Refund' } }, ['operator']);

  it('executes a vouched call, saying which voucher vouched, and sends the rest to approval', () => {
    const vouched = screenFlow(call('GB29NWBK60161331926819'), label, FlowMode.APPROVE, evidence('refund GB29NWBK60161331926819'));
    expect(vouched).toMatchObject({ verdict: 'execute', vouchedBy: { recipient: 'prompt' } });
    const waits = screenFlow(call('US133000000121212121212'), label, FlowMode.APPROVE, evidence('refund GB29NWBK60161331926819'));
    expect(waits).toMatchObject({ verdict: 'approve', why: expect.stringContaining('read_file') });
    // The reason names what nothing vouched for: where the person deciding should look.
    expect(waits).toMatchObject({ why: expect.stringMatching(/Not vouched for by the request or the user's records: recipient\.$/) });
    // Without evidence (MCP: no request to read), every labelled sink call waits, as before.
    expect(screenFlow(call('GB29NWBK60161331926819'), label, FlowMode.APPROVE).verdict).toBe('approve');
    // With no label nothing is vouched or asked.
    expect(screenFlow(call('US133000000121212121212'), null, FlowMode.APPROVE, evidence(''))).toEqual(call('US133000000121212121212'));
  });
});

describe('defineTool checks the flow declaration', () => {
  const base = { ...sendMoney, roles: undefined } as unknown as Parameters<typeof defineTool>[0];
  it('refuses sink arguments on a tool that is no sink, or naming no argument of its, or an unknown voucher', () => {
    expect(() => defineTool({ ...base, reaches: 'internal' })).toThrow(/sinkArguments are for a sink/);
    expect(() => defineTool({ ...base, sinkArguments: { iban: ['prompt'] } } as never)).toThrow(
      /names iban, which is not one of its arguments/,
    );
    expect(() => defineTool({ ...base, sinkArguments: { recipient: ['anything'] } } as never)).toThrow(
      /voucher is 'prompt' or 'record:<name>'/,
    );
    expect(() => defineTool({ ...base, records: { payee: 'recipient' } } as never)).toThrow(/records.payee must be a function/);
  });
});

describe('tool lint on vouchers', () => {
  it('flags a record voucher that no tool of the deployment returns, and is quiet once one does', () => {
    expect(lintTools([sendMoney]).map((f) => [f.tool, f.rule])).toEqual([['send_money', 'vouchers-name-records']]);
    const payees = defineTool({
      name: 'list_payees',
      description: 'List the accounts the user pays. Returns each payee with its IBAN.',
      input: z.strictObject({}),
      risk: 'read',
      records: { payee: (rows) => (rows as Array<{ iban: string }>).map((r) => r.iban) },
      limits: limitPresets.read,
      timeoutMs: 1000,
      breaker: defaultBreaker,
      handler: async () => [],
    });
    expect(lintTools([sendMoney, payees])).toEqual([]);
  });
});

describe('screenToolCall: the one screening sequence of the loop and MCP', () => {
  const registry = createToolRegistry([sendMoney]);
  const context = { groups: ['operator'], untrusted: label, mode: FlowMode.APPROVE, evidence: evidence('refund GB29NWBK60161331926819') };
  const call = (name: string, args: unknown) => screenToolCall(registry, { id: 'm1', name, arguments: args }, context);

  it('refuses an unknown tool, a role that may not use it and arguments off its schema before information flow, carrying no label', () => {
    expect(call('wire_money', {})).toMatchObject({ verdict: 'reject', error: { code: 'UNKNOWN_TOOL' } });
    expect(screenToolCall(registry, { id: 'm1', name: 'send_money', arguments: {} }, { ...context, groups: ['user'] })).toMatchObject({
      verdict: 'reject',
      error: { code: 'PERMISSION_DENIED' },
    });
    const offSchema = call('send_money', { recipient: 'GB29NWBK60161331926819', subject: 'x', extra: 1 });
    expect(offSchema).toMatchObject({ verdict: 'reject', error: { code: 'VALIDATION_FAILED' } });
    expect(offSchema).not.toHaveProperty('untrusted');
  });

  it('then judges information flow with the label it carries: vouched for, the call goes on; else it waits for a person', () => {
    expect(call('send_money', { recipient: 'GB29NWBK60161331926819', subject: 'Refund' })).toMatchObject({
      verdict: 'execute',
      vouchedBy: { recipient: 'prompt' },
      untrusted: label,
    });
    expect(call('send_money', { recipient: 'US133000000121212121212', subject: 'Refund' })).toMatchObject({
      verdict: 'approve',
      untrusted: label,
    });
  });
});

describe('the invocation’s vouchedBy', () => {
  const invocation = (vouchedBy: unknown) =>
    z.safeParse(toolInvocationSchema, {
      runId: 'run-1',
      callId: 'c1-1',
      tool: 'send_money',
      caller: { userId: 'uma', groups: ['operator'] },
      arguments: {},
      vouchedBy,
    }).success;
  it('is a map of argument names to vouchers, bounded; anything else is refused before a guard runs', () => {
    expect(invocation({ recipient: 'prompt' })).toBe(true);
    expect(invocation(null)).toBe(true);
    expect(invocation([['recipient', 'prompt']])).toBe(false);
    expect(invocation({ recipient: 1 })).toBe(false);
    expect(invocation({ recipient: 'p'.repeat(81) })).toBe(false);
    expect(invocation(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`a${i}`, 'prompt'])))).toBe(false);
  });
});
