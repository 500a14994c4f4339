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
import { bundleMcpSdk } from './bundle-mcp-sdk.ts';
import { ENTRY_POINTS } from './entry-points.ts';
import { ALL_OPTIONAL_PEERS } from '../../shared/optional-peers/index.ts';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'dist', 'package');
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
// The MCP SDK ships bundled, in place of its facades' tsc output: a team installs none of it.
console.log(`bundled the MCP SDK: ${(await bundleMcpSdk(root, out)).join(', ')}`);
for (const asset of ['infra/local/console', 'infra/local/local-users.json'])
  cpSync(join(root, asset), join(out, asset), { recursive: true });
for (const file of ['README.md', 'CHANGELOG.md', 'SECURITY.md', 'LICENSE']) copyFileSync(join(root, file), join(out, file));

const repo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const runtime = repo.dependencies as Record<string, string>;
/** The packages a team's app holds itself, as peers. */
const TEAM_PEER = /^(@middy\/core|@aws-sdk\/client-.+)$/;
const isPeer = (name: string) => TEAM_PEER.test(name) || Object.hasOwn(ALL_OPTIONAL_PEERS, name);
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
  dependencies: Object.fromEntries(Object.entries(runtime).filter(([name]) => !isPeer(name))),
  // middy and the AWS SDK's clients are the team's, as in Powertools: one copy of each in their app,
  // at the version they choose (npm installs a missing one). What only local mode, tracing or Cedar
  // policies need is an optional peer: a team that deploys without them installs none of it (a
  // missing one is an error naming the install command, shared/optional-peers).
  peerDependencies: {
    ...(repo.peerDependencies as Record<string, string>),
    ...Object.fromEntries(
      Object.entries(runtime)
        .filter(([name]) => TEAM_PEER.test(name))
        .map(([name, version]) => [name, `^${version}`]),
    ),
    ...ALL_OPTIONAL_PEERS,
  },
  peerDependenciesMeta: Object.fromEntries(Object.keys(ALL_OPTIONAL_PEERS).map((name) => [name, { optional: true }])),
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`built ${out}`);
