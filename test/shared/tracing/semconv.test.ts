import * as conventions from '@opentelemetry/semantic-conventions/incubating';
import { describe, expect, it } from 'vitest';
import * as copied from '../../../shared/tracing/semconv.ts';

describe("the semantic conventions' names, copied (as the package's README asks of the incubating ones)", () => {
  it('are each the value the conventions package gives', () => {
    expect(Object.keys(copied).length).toBeGreaterThan(20);
    for (const [name, value] of Object.entries(copied)) expect(value, name).toBe((conventions as Record<string, unknown>)[name]);
  });
});
