/**
 * Run by `npm run example:check` inside the installed example app (its working directory): proves
 * that a team's local mode gets the package's fix of dynalite (infra/local/patched-dynalite.ts),
 * applied as the package loads dynalite from the team's own node_modules. dynalite 4.0.0 left a
 * store iterator open for every Query and Scan (four a run: memory grew over thousands of runs);
 * here sixty reads on the app's local system must leave none open. Exits 1 if any is left.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalSystem } from 'guarded-agents/local';
// Copied into the app as package-check/ beside support/, as they sit here.
import { countStoreIterators, readsThatLeaked } from '../support/store-iterators.ts';

// The store dynalite keeps in memory (memory-level), as the app installed it.
const load = createRequire(join(process.cwd(), 'package.json'));
const iterators = countStoreIterators(createRequire(load.resolve('dynalite'))('memory-level') as Parameters<typeof countStoreIterators>[0]);

const { MinimalStack } = (await import(pathToFileURL(join(process.cwd(), 'stack.ts')).href)) as {
  MinimalStack: new (scope: unknown, id: string) => { agent: never };
};
const system = await startLocalSystem({ app: { agent: (app) => new MinimalStack(app, 'Iterators').agent } });
try {
  const [before, openedBefore] = [iterators.count.open, iterators.count.opened];
  await readsThatLeaked(system.client, system.tableNames.Runs as string, 20, () => iterators.count.open === before);
  const [opened, left] = [iterators.count.opened - openedBefore, iterators.count.open - before];
  console.log(`store iterators opened by 60 reads: ${opened}, left open: ${left}`);
  // A count that saw no iterator would prove nothing: the reads must have opened theirs.
  process.exitCode = left > 0 || opened < 60 ? 1 : 0;
} finally {
  await system.stop();
}
