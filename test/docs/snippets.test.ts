import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/cdk-app.ts';
import { allSnippets, snippetsOf, typeCheck } from './snippets.ts';

// A ts block in the README or docs/ that no longer compiles against the package (a renamed
// export, a changed option) fails here, with its page and line.

describe('the docs’ TypeScript blocks', () => {
  it('are found in the README and docs/', () => {
    const pages = new Set(allSnippets(REPO_ROOT).map((s) => s.page));
    expect([...pages]).toEqual(expect.arrayContaining(['README.md', 'docs/declaring-tools.md', 'docs/getting-started.md']));
  });

  it('type-check against the package, each as a module of its own', () => {
    expect(typeCheck(REPO_ROOT, allSnippets(REPO_ROOT))).toEqual([]);
  }, 120_000);

  it('tell a block that does not compile, at its line, and check it where its comment says', () => {
    const page = [
      '# A page',
      '',
      '```ts',
      "import { defineTool } from 'guarded-agents';",
      "defineTool({ name: 'x' });",
      '```',
      '',
      '<!-- checked as functions/tools/lookup-order/tool.ts -->',
      '',
      '```ts',
      "import type { OrderStore } from './order-store.ts';",
      'export const store: OrderStore | undefined = undefined;',
      '```',
    ].join('\n');
    const snippets = snippetsOf('docs/broken.md', page);
    expect(snippets.map((s) => s.checkedAs)).toEqual([
      'test/docs/__docs_broken_md_1__.ts',
      'functions/tools/lookup-order/__doc_snippet_2__.ts',
    ]);
    const problems = typeCheck(REPO_ROOT, snippets);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^docs\/broken\.md:5: /);
  }, 120_000);
});
