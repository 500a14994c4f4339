import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { boundedText } from '#shared/argument-types/index.ts';
import { defineTool, type AnyTool } from '#shared/tool/define-tool.ts';
import { assertToolsLint, lintTools, ToolLintError } from '#shared/tool/lint/lint-tools.ts';
import { defaultBreaker, limitPresets } from '#shared/tool/presets.ts';
import { toolCatalog } from '#functions/tools/catalog.ts';

const good = {
  name: 'search_knowledge_base',
  description: 'Search the company knowledge base for articles matching a query. Returns top 5 results with title, snippet, and URL.',
  input: z.strictObject({
    query: boundedText({
      description: 'Search query string. Supports natural language questions and keyword searches. Max 200 characters.',
      max: 200,
    }),
  }),
  risk: 'read' as 'read' | 'write' | 'destructive',
  limits: limitPresets.read,
  timeoutMs: 1000,
  breaker: defaultBreaker,
  handler: async () => ({}),
};

const rulesHit = (overrides: Partial<Omit<typeof good, 'input'>> & { input?: unknown; roles?: string[] }) =>
  lintTools([defineTool({ ...good, ...overrides } as typeof good) as AnyTool]).map((f) => f.rule);

describe('tool lint', () => {
  it('passes the seed example of a good tool', () => {
    expect(lintTools([defineTool(good) as AnyTool])).toEqual([]);
  });

  it('passes every tool in the catalog', () => {
    expect(lintTools(toolCatalog.tools)).toEqual([]);
  });

  it('flags names that are not snake_case verb_noun, or vague', () => {
    expect(rulesHit({ name: 'do_stuff' })).toEqual(expect.arrayContaining(['name-is-snake-case-verb-noun', 'name-is-specific']));
    expect(rulesHit({ name: 'searchKnowledgeBase' })).toContain('name-is-snake-case-verb-noun');
    expect(rulesHit({ name: 'knowledge_base' })).toContain('name-is-snake-case-verb-noun');
    expect(rulesHit({ name: 'get_data' })).toContain('name-is-specific');
  });

  it('flags short descriptions and ones that do not say what comes back', () => {
    expect(rulesHit({ description: 'Searches things' })).toEqual(['description-says-what-it-returns', 'description-says-what-it-returns']);
    expect(rulesHit({ description: 'Search the company knowledge base for articles that match the query given.' })).toEqual([
      'description-says-what-it-returns',
    ]);
  });

  it('flags undescribed or vaguely described parameters', () => {
    expect(rulesHit({ input: z.strictObject({ query: z.string().check(z.maxLength(10)) }) })).toContain('parameters-are-described');
    expect(rulesHit({ input: z.strictObject({ query: z.string().check(z.maxLength(10), z.describe('The query')) }) })).toContain(
      'parameters-are-described',
    );
  });

  it('flags unbounded strings, arrays and numbers, at any depth', () => {
    const d = (text: string) => z.describe(`${text} for the tests, long enough.`);
    expect(rulesHit({ input: z.strictObject({ q: z.string().check(d('A string')) }) })).toContain('inputs-are-bounded');
    expect(
      rulesHit({
        input: z.strictObject({ tags: z.array(boundedText({ description: 'A tag for the tests, plain.', max: 5 })).check(d('Tags')) }),
      }),
    ).toContain('inputs-are-bounded');
    expect(rulesHit({ input: z.strictObject({ n: z.number().check(d('A number')) }) })).toContain('inputs-are-bounded');
    expect(
      rulesHit({ input: z.strictObject({ o: z.object({ s: z.string().check(z.maxLength(3), d('Inner')) }).check(d('Loose object')) }) }),
    ).toContain('inputs-are-bounded');
    expect(
      rulesHit({
        input: z.strictObject({
          tags: z.array(boundedText({ description: 'A tag for the tests, plain.', max: 5 })).check(z.maxLength(3), d('Tags')),
        }),
      }),
    ).toEqual([]);
  });

  it('requires destructive risk for tools that delete, remove, send, publish, transfer, drop or purge', () => {
    for (const verb of ['delete', 'remove', 'send', 'publish', 'transfer', 'drop', 'purge']) {
      expect(rulesHit({ name: `${verb}_report`, risk: 'write', roles: ['operator', 'admin'] })).toContain(
        'dangerous-verbs-are-destructive',
      );
    }
    expect(rulesHit({ description: `${good.description} Also sends a copy to the owner.` })).toContain('dangerous-verbs-are-destructive');
    expect(rulesHit({ name: 'send_report', risk: 'destructive', roles: ['admin'] })).toEqual([]);
  });

  it('lets a tool be exempt from a rule it names with a reason, and flags an exception without one or for no rule', () => {
    const send = { name: 'send_report', risk: 'write' as const, roles: ['operator', 'admin'] };
    const reason = 'Sends only to recipients the information-flow rules endorse.';
    expect(rulesHit({ ...send, lintExceptions: { 'dangerous-verbs-are-destructive': reason } } as never)).toEqual([]);
    // Only the rule named is lifted: the others still hold.
    expect(
      rulesHit({ ...send, description: 'Sends a report.', lintExceptions: { 'dangerous-verbs-are-destructive': reason } } as never),
    ).toEqual(['description-says-what-it-returns', 'description-says-what-it-returns']);
    expect(rulesHit({ ...send, lintExceptions: { 'dangerous-verbs-are-destructive': 'ok' } } as never)).toEqual(['lint-exceptions']);
    expect(rulesHit({ ...send, lintExceptions: { 'dangerous-verbs-are-destructive': reason, 'no-such-rule': reason } } as never)).toEqual([
      'lint-exceptions',
    ]);
  });

  it('flags roles broader than the risk class allows', () => {
    expect(rulesHit({ name: 'create_report', risk: 'write', roles: ['user', 'operator'] })).toContain('roles-match-risk');
  });

  it('throws one error listing every finding with how to fix it', () => {
    const bad = defineTool({ ...good, name: 'do_stuff', description: 'Searches things' }) as AnyTool;
    expect(() => assertToolsLint([bad])).toThrow(ToolLintError);
    expect(() => assertToolsLint([bad])).toThrow(/do_stuff \[name-is-specific\].*e\.g\./s);
  });
});

describe('defineTool', () => {
  it('refuses a schema that accepts unknown keys', () => {
    expect(() => defineTool({ ...good, input: z.object({ q: z.string() }) as never })).toThrow(/strictObject/);
  });
  it('refuses non-positive limits and timeouts', () => {
    expect(() => defineTool({ ...good, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => defineTool({ ...good, limits: { ...good.limits, perUser: { capacity: -1, refillPerMinute: 1 } } })).toThrow(/capacity/);
  });
  it('defaults roles from the risk class', () => {
    expect(defineTool(good).roles).toEqual(['user', 'operator', 'admin']);
    expect(defineTool({ ...good, name: 'delete_article', risk: 'destructive' }).roles).toEqual(['admin']);
  });
});
