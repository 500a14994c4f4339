import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { pseudonymOf, runContext, runTraceIds } from '../../../shared/tracing/index.ts';

describe('runTraceIds', () => {
  it('gives a run the same valid ids every time, and another run other ids', () => {
    const ids = runTraceIds('run-1');
    expect(ids).toEqual(runTraceIds('run-1'));
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(runTraceIds('run-2').traceId).not.toBe(ids.traceId);
  });
});

describe('runContext', () => {
  it("makes the run's invoke_agent span the parent", () => {
    const parent = trace.getSpanContext(runContext('run-1'));
    expect(parent).toMatchObject({ ...runTraceIds('run-1'), isRemote: true, traceFlags: 1 });
  });

  it('gives anything that is not a run id the root context: a trace of its own', () => {
    for (const junk of [undefined, 42, '', 'run 1', 'x'.repeat(129), { runId: 'run-1' }]) expect(runContext(junk)).toBe(ROOT_CONTEXT);
  });
});

describe("an MCP session's run", () => {
  it('gets no run trace: a session never ends, so its calls are traces of their own', () => {
    expect(runContext('mcp-0f8c2d8e-4b7f-4c1e-9a55-1f7d1c2b3a4e')).toBe(ROOT_CONTEXT);
  });
});

describe('pseudonymOf', () => {
  it('is stable per user, differs between users and does not contain the id', () => {
    expect(pseudonymOf('adam')).toBe(pseudonymOf('adam'));
    expect(pseudonymOf('adam')).not.toBe(pseudonymOf('adama'));
    expect(pseudonymOf('adam')).toMatch(/^[0-9a-f]{16}$/);
  });
});
