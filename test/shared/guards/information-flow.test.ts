import { describe, expect, it } from 'vitest';
import { FlowMode, judgeFlow, untrustedSourceOf } from '#shared/guards/information-flow.ts';

const sink = { name: 'send_email', reaches: 'external' as const };
const internal = { name: 'create_ticket', reaches: 'internal' as const };
const label = { tool: 'read_document', callId: 'c1-1' };

describe('judgeFlow', () => {
  it('allows a sink in a run with no untrusted content, and any internal tool in a run with some', () => {
    expect(judgeFlow(sink, undefined, FlowMode.APPROVE)).toEqual({ verdict: 'allow' });
    expect(judgeFlow(sink, null, FlowMode.REFUSE)).toEqual({ verdict: 'allow' });
    expect(judgeFlow(internal, label, FlowMode.REFUSE)).toEqual({ verdict: 'allow' });
  });

  it('asks for approval for a sink once untrusted content came in, naming where it came from', () => {
    expect(judgeFlow(sink, label, FlowMode.APPROVE)).toEqual({
      verdict: 'approve',
      reason:
        'Untrusted content entered this run through read_document (c1-1); send_email sends its arguments outside the company, so it needs a person’s approval in this run.',
    });
  });

  it('refuses it in the strict mode, and leaves it alone when the deployment turns the control off', () => {
    expect(judgeFlow(sink, label, FlowMode.REFUSE)).toMatchObject({ verdict: 'refuse', reason: expect.stringContaining('is refused') });
    expect(judgeFlow(sink, label, FlowMode.OFF)).toEqual({ verdict: 'allow' });
  });

  it('lets a tool’s own declaration override the deployment, both ways', () => {
    expect(judgeFlow({ ...sink, flow: FlowMode.REFUSE }, label, FlowMode.APPROVE).verdict).toBe('refuse');
    expect(judgeFlow({ ...sink, flow: FlowMode.OFF }, label, FlowMode.REFUSE).verdict).toBe('allow');
  });
});

describe('untrustedSourceOf', () => {
  const untrusted = { name: 'read_document', output: 'untrusted' as const };
  const trusted = { name: 'lookup_order', output: 'trusted' as const };
  it('names the first call of a tool with untrusted output that returned data', () => {
    expect(
      untrustedSourceOf([
        { tool: trusted, callId: 'c1-1', ok: true },
        { tool: untrusted, callId: 'c1-2', ok: false },
        { tool: untrusted, callId: 'c1-3', ok: true },
        { tool: untrusted, callId: 'c1-4', ok: true },
      ]),
    ).toEqual({ tool: 'read_document', callId: 'c1-3' });
  });

  it('names none when nothing untrusted returned data (a failed read brings nothing in; an unknown tool is not a source)', () => {
    expect(
      untrustedSourceOf([
        { tool: untrusted, callId: 'c1-1', ok: false },
        { tool: undefined, callId: 'c1-2', ok: true },
      ]),
    ).toBeUndefined();
  });
});
