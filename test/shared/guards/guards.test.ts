import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { argumentSize } from '#shared/guards/argument-size.ts';
import { roleAllowlist } from '#shared/guards/role-allowlist.ts';
import { toolArguments } from '#shared/guards/tool-arguments.ts';

describe('roleAllowlist', () => {
  const tool = { name: 'create_ticket', roles: ['operator', 'admin'] as const };
  it('allows a caller holding one of the tool roles', () => expect(roleAllowlist(tool, ['approver', 'operator']).allow).toBe(true));
  it('denies a caller without one, whatever other groups say', () => {
    expect(roleAllowlist(tool, ['user'])).toEqual({ allow: false, reason: 'create_ticket is not available to role(s) user' });
    expect(roleAllowlist(tool, ['Admin', 'admin ', 'root', 'approver']).allow).toBe(false);
  });
});

describe('argumentSize', () => {
  it('allows ordinary arguments', () => expect(argumentSize({ q: 'refund', n: 3, tags: ['a', 'b'] }).allow).toBe(true));
  it('denies deep nesting, many keys, huge strings and huge arrays without recursion', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(argumentSize(deep)).toMatchObject({ allow: false, reason: expect.stringContaining('nested deeper') });
    expect(argumentSize(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i])))).toMatchObject({ allow: false });
    expect(argumentSize({ q: 'x'.repeat(20_000) })).toMatchObject({ allow: false, reason: expect.stringContaining('bytes') });
    expect(argumentSize({ q: new Array(100_000).fill(0) })).toMatchObject({ allow: false });
  });
});

describe('toolArguments', () => {
  const tool = { input: z.strictObject({ q: z.string().check(z.maxLength(5)) }) };
  it('returns the parsed arguments', () => expect(toolArguments(tool, { q: 'abc' })).toEqual({ allow: true, value: { q: 'abc' } }));
  it('denies with the field and the rule, never echoing the value', () => {
    const verdict = toolArguments(tool, { q: 'secret-value', __proto__: { polluted: true } });
    expect(verdict.allow).toBe(false);
    if (!verdict.allow) {
      expect(verdict.reason).toContain('q: must be at most 5');
      expect(verdict.reason).not.toContain('secret-value');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('denies prototype-pollution keys that JSON parsing makes own properties', () => {
    expect(toolArguments(tool, JSON.parse('{"q":"a","__proto__":{"admin":true}}')).allow).toBe(false);
    expect(toolArguments(tool, JSON.parse('{"q":"a","constructor":{"prototype":{"admin":true}}}')).allow).toBe(false);
  });
});
