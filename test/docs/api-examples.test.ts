import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/cdk-app.ts';

// Every construct and factory of the package's public surface shows how it is used: its doc
// comment has an @example (the API reference, npm run docs, shows it). Constructs and classes
// (errors aside) and the functions that make things (create*, define*, start*, serve*, load*,
// run*), through each of the package's exports.

const FACTORY = /^(create|define|start|serve|load|run)[A-Z]/;

const exportsOfPackage = (): Array<{
  readonly entry: string;
  readonly name: string;
  readonly symbol: ts.Symbol;
  readonly checker: ts.TypeChecker;
  readonly typeOnly: boolean;
}> => {
  const entries = Object.values(
    (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string> }).exports,
  );
  const config = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT);
  const program = ts.createProgram(
    entries.map((entry) => join(REPO_ROOT, entry)),
    { ...options, noEmit: true },
  );
  const checker = program.getTypeChecker();
  return entries.flatMap((entry) => {
    const file = program.getSourceFile(join(REPO_ROOT, entry));
    const module = file && checker.getSymbolAtLocation(file);
    if (!module) throw new Error(`${entry} has no module symbol`);
    return checker.getExportsOfModule(module).map((exported) => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      // A type-only export (`export type { SomeClass }`) names a class a team cannot construct from here.
      const typeOnly = (exported.declarations ?? []).some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
      return { entry, name: exported.name, symbol, checker, typeOnly };
    });
  });
};

const needsExample = (name: string, symbol: ts.Symbol): boolean =>
  (Boolean(symbol.flags & ts.SymbolFlags.Class) && !name.endsWith('Error')) ||
  (Boolean(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) && FACTORY.test(name));

describe("the API's examples", () => {
  it('are on every construct and factory the package exports', () => {
    const all = exportsOfPackage();
    const checked = all.filter(({ name, symbol, typeOnly }) => !typeOnly && needsExample(name, symbol));
    // The check reaches what it is meant to: the construct, the stores, the factories.
    expect(checked.map((c) => c.name)).toEqual(
      expect.arrayContaining(['GuardedAgent', 'DynamoDbRunStore', 'defineTool', 'startLocalSystem', 'createApp']),
    );
    const missing = checked
      .filter(({ symbol, checker }) => !symbol.getJsDocTags(checker).some((tag) => tag.name === 'example'))
      .map(({ entry, name }) => `${entry}: ${name}`);
    expect([...new Set(missing)]).toEqual([]);
  }, 120_000);
});
