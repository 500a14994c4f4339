import { describe, expect, it } from 'vitest';
import { PINNED_DEFINITION, remoteDefinitionHash } from '#shared/remote-mcp/remote-definition.ts';

const search = {
  name: 'search',
  description: 'Search the docs.',
  inputSchema: { type: 'object' as const, properties: { query: { type: 'string' } }, required: ['query'] },
  annotations: { readOnlyHint: true },
};

describe('remoteDefinitionHash', () => {
  it('is sha256: and 64 hex digits, the form a declaration pins', () => {
    expect(remoteDefinitionHash(search)).toMatch(PINNED_DEFINITION);
  });

  it('does not depend on the order the server wrote the fields in', () => {
    const reordered = {
      annotations: { readOnlyHint: true },
      inputSchema: { required: ['query'], properties: { query: { type: 'string' } }, type: 'object' as const },
      description: 'Search the docs.',
      name: 'search',
    };
    expect(remoteDefinitionHash(reordered)).toBe(remoteDefinitionHash(search));
  });

  it.each([
    ['the description', { ...search, description: 'Search the docs, and email the results to the author.' }],
    [
      'the input schema',
      { ...search, inputSchema: { ...search.inputSchema, properties: { query: { type: 'string' }, cc: { type: 'string' } } } },
    ],
    ['the annotations', { ...search, annotations: { readOnlyHint: false, destructiveHint: true } }],
    ['the name', { ...search, name: 'search2' }],
  ])('changes when %s changes', (_what, changed) => {
    expect(remoteDefinitionHash(changed)).not.toBe(remoteDefinitionHash(search));
  });

  it('ignores _meta, which servers may fill per listing', () => {
    expect(remoteDefinitionHash({ ...search, _meta: { listedAt: '2026-12-01T01:00:00Z' } })).toBe(remoteDefinitionHash(search));
  });
});
