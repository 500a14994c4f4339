import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import type dynaliteFn from 'dynalite';
import { resolvePeer } from '../../shared/optional-peers/index.ts';

/**
 * dynalite 4.0.0 left a store iterator open for every Query and Scan: its streams close their
 * iterator with `iterator.return()`, which abstract-level iterators do not have (they have
 * `close()`), and a query stopped by a `Limit` (or the 1 MB page) never closed its stream. Each open
 * iterator pins a version of the store, so the local system's memory grew with every run (four a
 * run). dynalite is not maintained, so the package fixes it itself, in the process that loads it:
 * dynalite's own `db/index.js`, read from the team's node_modules, is compiled with these three
 * changes in place of the original, before dynalite loads it. No install script, no patched files
 * (proven by `test/infra/local/dynalite-iterators.test.ts`, which fails without it).
 */
const FIXES: ReadonlyArray<{ readonly from: string; readonly to: string; readonly count: number }> = [
  {
    // Both streams' destroy(): close the iterator.
    from: `          if (iterator.return) {
            iterator.return()
              .then(() => callback && callback(err))
              .catch(() => callback && callback(err))
          }
          else {
            callback && callback(err)
          }`,
    to: `          iterator.close()
            .then(() => callback && callback(err))
            .catch(() => callback && callback(err))`,
    count: 2,
  },
  {
    // queryTable keeps its source stream, to close it once it has read what it needs.
    from: `  if (data.IndexName) {
    var indexDb = store.getIndexDb(isLocal ? 'local' : 'global', data.TableName, data.IndexName)
    vals = lazyStream(indexDb.createValueStream(opts), cb)
  }
  else {
    vals = lazyStream(itemDb.createValueStream(opts), cb)
  }`,
    to: `  var source
  if (data.IndexName) {
    var indexDb = store.getIndexDb(isLocal ? 'local' : 'global', data.TableName, data.IndexName)
    source = indexDb.createValueStream(opts)
  }
  else {
    source = itemDb.createValueStream(opts)
  }
  vals = lazyStream(source, cb)`,
    count: 1,
  },
  {
    from: `  vals.join(function (items) {
    var lastItem = items[items.length - 1]`,
    to: `  vals.join(function (items) {
    source.destroy()
    var lastItem = items[items.length - 1]`,
    count: 1,
  },
];

/** dynalite's `db/index.js` with the fixes in, or a clear error naming what no longer matches. */
export const fixedDynaliteDb = (source: string): string =>
  FIXES.reduce((text, { from, to, count }) => {
    const found = text.split(from).length - 1;
    if (found === count) return text.replaceAll(from, to);
    // Already fixed (a copy patched on disk): leave it.
    if (found === 0 && text.includes(to)) return text;
    throw new Error(
      `dynalite's db/index.js is not the 4.0.0 this package fixes (a change expected ${count} time(s) was found ${found}): install dynalite 4.0.0.`,
    );
  }, source);

interface InternalModule {
  filename: string;
  paths: string[];
  loaded: boolean;
  _compile(source: string, filename: string): void;
}
const ModuleInternals = Module as unknown as {
  new (id: string, parent?: unknown): InternalModule;
  _nodeModulePaths(from: string): string[];
};

const load = createRequire(import.meta.url);
const dbPath = resolvePeer('local', 'dynalite', 'db/index.js');
if (!load.cache[dbPath]) {
  const fixed = new ModuleInternals(dbPath);
  fixed.filename = dbPath;
  fixed.paths = ModuleInternals._nodeModulePaths(dirname(dbPath));
  fixed._compile(fixedDynaliteDb(readFileSync(dbPath, 'utf8')), dbPath);
  fixed.loaded = true;
  load.cache[dbPath] = fixed as unknown as NodeJS.Module;
}

/** dynalite, with its store iterators closed (above). Import it from here, never from 'dynalite'. */
export const dynalite = load('dynalite') as typeof dynaliteFn;
