import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { traceToolCall, tracingOn } from '../../../shared/tracing/index.ts';

const tool = { name: 'lookup_order', risk: 'read' };
const event = { runId: 'run-on', callId: 'c1-1', caller: { userId: 'uma' }, arguments: {} };

describe('tracingOn', () => {
  it('is off until an SDK is registered: a tool call then runs as it is and makes no span; on, it makes one', async () => {
    const memory = new InMemorySpanExporter();
    expect(tracingOn()).toBe(false);
    expect(await traceToolCall(tool, event, async () => ({ ok: true, data: 1 }))).toEqual({ ok: true, data: 1 });

    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] }));
    expect(tracingOn()).toBe(true);
    expect(await traceToolCall(tool, event, async () => ({ ok: true, data: 2 }))).toEqual({ ok: true, data: 2 });
    expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(['execute_tool lookup_order']);
  });
});
