/**
 * `npm run build`: the package a team installs, staged in dist/package with a manifest of its own
 * (`npm run pack` packs it). tsc emits the JavaScript and the type declarations
 * (tsconfig.build.json); the files the local system reads beside its modules (the console, the
 * default local users) are copied; the manifest is the repository's, less what only the repository
 * needs: no scripts (nothing runs when a team installs it), no dev dependencies, no `private`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRY_POINTS } from './entry-points.ts';
import { LOCAL_PEERS } from '../local/local-peers.ts';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'dist', 'package');
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
for (const asset of ['infra/local/console', 'infra/local/local-users.json'])
  cpSync(join(root, asset), join(out, asset), { recursive: true });
for (const file of ['README.md', 'CHANGELOG.md', 'SECURITY.md', 'LICENSE']) copyFileSync(join(root, file), join(out, file));

const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const manifest = {
  name: repo.name,
  version: repo.version,
  description: repo.description,
  keywords: repo.keywords,
  license: repo.license,
  type: 'module',
  engines: repo.engines,
  // No module does anything on import but declare, so a team's bundler drops what a function does
  // not use, even when it imports through a capability's index (as this repository's bundles do).
  sideEffects: false,
  // The root's declarations, for tools that read \`types\` rather than \`exports\`.
  types: './shared/index.d.ts',
  // What is published: the modules, their declarations and the files the local system reads beside them.
  files: ['shared', 'functions', 'infra', 'README.md', 'CHANGELOG.md', 'SECURITY.md', 'LICENSE'],
  exports: {
    ...Object.fromEntries(
      Object.entries(ENTRY_POINTS).map(([subpath, module]) => [subpath, { types: `./${module}.d.ts`, default: `./${module}.js` }]),
    ),
    './package.json': './package.json',
  },
  // A team pins its remote MCP servers' tools with the same command as this repository (npm run mcp:pin).
  // Without './': npm's publish drops a bin path that starts with it (npm 11.13 and later).
  bin: { 'guarded-agents-mcp-pin': 'infra/mcp-pin/mcp-pin-cli.js' },
  // What local mode embeds is an optional peer of ./local and ./eval: a team that only deploys
  // installs none of it (a missing one is an error naming the install command, local-peers.ts).
  dependencies: Object.fromEntries(
    Object.entries(repo.dependencies as Record<string, string>).filter(([name]) => !Object.hasOwn(LOCAL_PEERS, name)),
  ),
  peerDependencies: { ...(repo.peerDependencies as Record<string, string>), ...LOCAL_PEERS },
  peerDependenciesMeta: Object.fromEntries(Object.keys(LOCAL_PEERS).map((name) => [name, { optional: true }])),
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`built ${out}`);
