import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import middy from '@middy/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admission, guardHooks } from '#shared/pipeline/admission.ts';
import type { GuardMiddleware } from '#shared/pipeline/middleware.ts';
import type { ToolInvocation } from '#shared/tool/index.ts';
import { Attr } from '#shared/tracing/index.ts';
import { lambdaContext } from '../../support/lambda-context.ts';

const spans = new InMemorySpanExporter();
beforeAll(() => void trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] })));

/** A guard whose step starts, decides and gives back as told, noting each undo in `undone`. */
const guardThat = (
  name: string,
  undone: string[],
  how: { start?: () => Promise<unknown>; decide?: () => Promise<unknown>; undo?: false | (() => Promise<void>) } = {},
): GuardMiddleware<unknown> => ({
  step: {
    name,
    start: how.start ?? (async () => `${name} started`),
    decide: how.decide ?? (async () => undefined),
    ...(how.undo === false ? {} : { undo: how.undo ?? (async (_request, started) => void undone.push(`${name}: ${String(started)}`)) }),
  },
});
const refusal = new Error('refused');
const admit = (guards: GuardMiddleware<unknown>[], onUndoError?: (error: unknown, step: string) => void) => {
  spans.reset();
  let ran = false;
  const handler = middy<ToolInvocation>()
    .use(admission(guards, onUndoError ? { onUndoError } : {}))
    .handler(async () => ((ran = true), 'ran'));
  return handler({} as ToolInvocation, lambdaContext()).then(
    (value) => ({ value, ran }),
    (error: unknown) => ({ error, ran }),
  );
};
const decisions = () => Object.fromEntries(spans.getFinishedSpans().map((s) => [s.name, s.attributes[Attr.GUARD_DECISION]]));

describe('admission, with guards that do as told', () => {
  it('lets the call on when every guard passes, each span saying so', async () => {
    const undone: string[] = [];
    expect(await admit([guardThat('a', undone), guardThat('b', undone)])).toEqual({ value: 'ran', ran: true });
    expect([undone, decisions()]).toEqual([[], { 'guard a': 'pass', 'guard b': 'pass' }]);
  });

  it('on a refusal, gives back what every other started guard took (never the refuser’s), and runs nothing', async () => {
    const undone: string[] = [];
    const guards = [
      guardThat('a', undone),
      guardThat('refuser', undone, { decide: async () => Promise.reject(refusal) }),
      guardThat('c', undone),
    ];
    expect(await admit(guards)).toEqual({ error: refusal, ran: false });
    expect([undone.sort(), decisions()]).toEqual([
      ['a: a started', 'c: c started'],
      { 'guard a': 'pass', 'guard refuser': 'refuse', 'guard c': 'not_reached' },
    ]);
  });

  it('refuses in its turn a guard whose requests failed, and gives nothing back for it', async () => {
    const undone: string[] = [];
    const broken = new Error('DynamoDB unreachable');
    const guards = [guardThat('a', undone), guardThat('broken', undone, { start: async () => Promise.reject(broken) })];
    expect(await admit(guards)).toEqual({ error: broken, ran: false });
    expect(undone).toEqual(['a: a started']);
  });

  it('answers without running (a replay) and gives back what the others took; a guard with nothing to give back is skipped', async () => {
    const undone: string[] = [];
    const storeErrors: unknown[] = [];
    const guards = [
      guardThat('a', undone),
      guardThat('replay', undone, { decide: async () => 'stored answer' }),
      guardThat('nothing-to-undo', undone, { undo: false }),
    ];
    expect(await admit(guards, (e) => void storeErrors.push(e))).toEqual({ value: 'stored answer', ran: false });
    expect([undone, storeErrors, decisions()]).toEqual([
      ['a: a started'],
      [],
      { 'guard a': 'pass', 'guard replay': 'answer', 'guard nothing-to-undo': 'not_reached' },
    ]);
  });

  it('keeps the refusal when giving back fails, and says which step failed to', async () => {
    const lost = new Error('refund lost');
    const told: unknown[] = [];
    const guards = [
      guardThat('limits', [], { undo: async () => Promise.reject(lost) }),
      guardThat('refuser', [], { decide: async () => Promise.reject(refusal) }),
    ];
    expect(await admit(guards, (error, step) => void told.push([error, step]))).toEqual({ error: refusal, ran: false });
    expect(told).toEqual([[lost, 'limits']]);
  });
});

describe('guardHooks', () => {
  it('registers, in order, each guard’s after and onError, leaving out guards with neither', () => {
    const after = async () => {};
    const onError = async () => {};
    const step = guardThat('s', []).step;
    expect(guardHooks([{ step, after }, { step }, { step, onError }, { step, after, onError }])).toEqual([
      { after },
      { onError },
      { after, onError },
    ]);
  });
});
