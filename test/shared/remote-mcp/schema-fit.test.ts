import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { schemaFitIssues } from '#shared/remote-mcp/schema-fit.ts';

const remote = {
  name: 'search',
  inputSchema: { type: 'object' as const, properties: { query: { type: 'string' }, limit: { type: 'integer' } }, required: ['query'] },
};

describe('schemaFitIssues', () => {
  it('accepts a declaration that tightens: fewer arguments, narrower types, the required ones required', () => {
    expect(schemaFitIssues(z.strictObject({ query: z.string().check(z.maxLength(80)) }), remote)).toEqual([]);
    expect(schemaFitIssues(z.strictObject({ query: z.string(), limit: z.optional(z.int()) }), remote)).toEqual([]);
  });

  it('refuses an argument the remote tool does not name', () => {
    expect(schemaFitIssues(z.strictObject({ query: z.string(), scope: z.string() }), remote)).toEqual([
      'argument "scope" is not one the remote tool takes (it takes: query, limit)',
    ]);
  });

  it('refuses a declaration that leaves out, or makes optional, what the remote tool requires', () => {
    expect(schemaFitIssues(z.strictObject({ limit: z.int() }), remote)).toEqual([
      'argument "query" is required by the remote tool, so the declaration must require it too',
    ]);
    expect(schemaFitIssues(z.strictObject({ query: z.optional(z.string()) }), remote)).toHaveLength(1);
    expect(schemaFitIssues(z.strictObject({ query: z._default(z.string(), 'all') }), remote)).toHaveLength(1);
  });

  it('says so when the remote tool takes no arguments at all', () => {
    expect(schemaFitIssues(z.strictObject({ query: z.string() }), { name: 'ping', inputSchema: { type: 'object' } })).toEqual([
      'argument "query" is not one the remote tool takes (it takes: none)',
    ]);
  });
});
