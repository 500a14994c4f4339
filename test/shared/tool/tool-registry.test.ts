import { describe, expect, it } from 'vitest';
import { toolCatalog } from '#functions/tools/catalog.ts';
import { createToolRegistry } from '#shared/tool/tool-registry.ts';
import { toolSpec } from '#shared/tool/tool-spec.ts';

describe('tool registry', () => {
  it('resolves a declared tool by its exact name', () => {
    expect(toolCatalog.resolve('lookup_order')?.name).toBe('lookup_order');
  });

  it('resolves nothing for prototype keys, case, whitespace, homoglyph and non-string variants', () => {
    for (const name of [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'LOOKUP_ORDER',
      'Lookup_order',
      ' lookup_order',
      'lookup_order\n',
      'lookup_order\u200b',
      'lооkup_order',
      'lookup-order',
      '',
      null,
      undefined,
      42,
      ['lookup_order'],
      { toString: () => 'lookup_order' },
    ]) {
      expect(toolCatalog.resolve(name)).toBeUndefined();
    }
  });

  it('refuses two tools with the same name', () => {
    const [first] = toolCatalog.tools;
    expect(() => createToolRegistry([first!, first!])).toThrow(/declared twice/);
  });

  it('holds the nine demo tools with the roles of their risk class', () => {
    expect(toolCatalog.tools.map((t) => [t.name, t.risk, t.roles.join(',')])).toEqual([
      ['search_knowledge_base', 'read', 'user,operator,admin'],
      ['read_document', 'read', 'user,operator,admin'],
      ['lookup_order', 'read', 'user,operator,admin'],
      ['fetch_url', 'read', 'user,operator,admin'],
      ['create_ticket', 'write', 'operator,admin'],
      ['send_email', 'destructive', 'admin'],
      ['delete_document', 'destructive', 'admin'],
      ['publish_announcement', 'destructive', 'admin'],
      ['refund_order', 'destructive', 'admin'],
    ]);
  });
});

describe('toolSpec', () => {
  it('derives the model-facing JSON Schema from the zod schema', () => {
    const spec = toolSpec(toolCatalog.resolve('create_ticket')!);
    expect(spec.name).toBe('create_ticket');
    expect(spec.inputSchema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['title', 'description', 'priority'],
      properties: {
        title: { type: 'string', maxLength: 120, description: expect.stringContaining('summary') },
        priority: { enum: ['low', 'normal', 'high', 'urgent'] },
      },
    });
    expect(spec.inputSchema).not.toHaveProperty('$schema');
  });
});
