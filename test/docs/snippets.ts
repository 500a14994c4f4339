import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * The docs' TypeScript blocks, type-checked against the package as a team's code would be: each
 * block is a module of its own, importing `guarded-agents/...` (the package's own exports, resolved
 * to this repository's sources). Nothing is written to disk: each block is a virtual file at the
 * place it is checked from, `test/docs/` unless the line before its fence says otherwise:
 * `<!-- checked as functions/tools/lookup-order/tool.ts -->` (its relative imports resolve there).
 * A block may use `stack`, `tools` and `toolsDir` without declaring them (`AMBIENT`): the scope,
 * tool list and tools folder every GuardedAgent example starts from.
 */

export interface Snippet {
  readonly page: string;
  /** The fence's line in its page (1-based). */
  readonly line: number;
  readonly code: string;
  /** Where it is checked from, relative to the repository. */
  readonly checkedAs: string;
}

const CHECKED_AS = /^<!-- checked as (\S+) -->$/;

/** Names every block may use as if declared: what a CDK stack's constructor has at hand. */
const AMBIENT = `
declare const stack: import('constructs').Construct;
declare const tools: import('guarded-agents').AnyTool[];
declare const toolsDir: string;
`;

/** The ts blocks of one page. */
export const snippetsOf = (page: string, text: string): Snippet[] => {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i] ?? '')) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (end < 0) throw new Error(`${page}:${i + 1}: a ts block that never closes`);
    const before = lines.slice(0, i).findLast((l) => l.trim() !== '') ?? '';
    const at = CHECKED_AS.exec(before.trim())?.[1];
    const n = snippets.length + 1;
    const checkedAs = at
      ? join(dirname(at), `__doc_snippet_${n}__.ts`)
      : join('test', 'docs', `__${page.replaceAll(/[/.]/g, '_')}_${n}__.ts`);
    snippets.push({ page, line: i + 1, code: lines.slice(i + 1, end).join('\n'), checkedAs });
    i = end;
  }
  return snippets;
};

/** The pages whose blocks are checked: the README and docs/. */
export const docPages = (root: string): string[] => [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Type-checks the snippets together, with the repository's compiler options: each problem as `page:line: message`. */
export const typeCheck = (root: string, snippets: readonly Snippet[]): string[] => {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
  // The package's exports as paths: `guarded-agents/...` resolves to these sources from anywhere,
  // examples/minimal (its own package, not installed here) included.
  const exports = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string> }).exports;
  const paths = Object.fromEntries(Object.entries(exports).map(([subpath, file]) => [join('guarded-agents', subpath), [join(root, file)]]));
  const options = { ...parsed, paths };
  const virtual = new Map(snippets.map((s) => [join(root, s.checkedAs), s]));
  const ambientPath = join(root, 'test', 'docs', '__doc_ambient__.d.ts');
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  const textOf = (path: string) => (path === ambientPath ? AMBIENT : virtual.get(path)?.code);
  host.fileExists = (path) => textOf(path) !== undefined || fileExists(path);
  host.readFile = (path) => textOf(path) ?? readFile(path);
  host.getSourceFile = (path, language, ...rest) => {
    const text = textOf(path);
    return text === undefined ? getSourceFile(path, language, ...rest) : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram([...virtual.keys(), ambientPath], { ...options, noEmit: true }, host);
  return [...virtual.entries()].flatMap(([path, snippet]) => {
    const file = program.getSourceFile(path);
    if (!file) return [`${snippet.page}:${snippet.line}: not compiled`];
    return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) => {
      const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line + 1;
      return `${snippet.page}:${snippet.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  });
};

/** Every snippet of the README and docs/. */
export const allSnippets = (root: string): Snippet[] =>
  docPages(root).flatMap((page) => snippetsOf(page, readFileSync(join(root, page), 'utf8')));
