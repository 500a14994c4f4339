import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/cdk-app.ts';
import { bundleMcpSdk, MCP_SDK_FACADES } from '../../infra/package/bundle-mcp-sdk.ts';
import { ENTRY_POINTS } from '../../infra/package/entry-points.ts';
import { ALL_OPTIONAL_PEERS, installCommand, OPTIONAL_PEERS } from '../../shared/optional-peers/index.ts';

/** The packages a subpath's module graph loads (from its source: the build keeps the graph as it is). */
const packagesLoadedBy = async (subpath: keyof typeof ENTRY_POINTS) => {
  const result = await build({
    entryPoints: [join(REPO_ROOT, `${ENTRY_POINTS[subpath]}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const packages = new Set(
    Object.keys(result.metafile.inputs)
      .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  // What a static import reaches (Node loads it with the module; esbuild must resolve it to bundle),
  // as against what only an import() reaches, when the code runs.
  const reached = new Set<string>();
  const follow = (input: string) => {
    if (reached.has(input)) return;
    reached.add(input);
    for (const next of result.metafile.inputs[input]?.imports ?? []) if (next.kind !== 'dynamic-import') follow(next.path);
  };
  for (const output of Object.values(result.metafile.outputs)) if (output.entryPoint) follow(output.entryPoint);
  const packageOf = (input: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
  const staticPackages = new Set([...reached].map(packageOf).filter((name): name is string => name !== undefined));
  return {
    packages: [...packages].sort(),
    staticPackages: [...staticPackages].sort(),
    bytes: result.outputFiles[0]?.contents.byteLength ?? 0,
  };
};

describe("the package's exports", () => {
  it('keep the root free of the AWS SDK, aws-cdk-lib and the Lambda runtime libraries: a tool module imports it at no cost', async () => {
    const { packages } = await packagesLoadedBy('.');
    expect(packages).toEqual(['zod']);
  });
  it('keep aws-cdk-lib out of what Lambda code imports', async () => {
    for (const subpath of ['./lambda', './stores', './middlewares'] as const) {
      const { packages } = await packagesLoadedBy(subpath);
      expect(
        packages.filter((name) => name === 'aws-cdk-lib' || name === 'constructs' || name === 'dynalite'),
        subpath,
      ).toEqual([]);
    }
  });
  it('load no optional peer where a team may not have it: what deploys, and the root (tracing and Cedar load theirs only when used)', async () => {
    for (const subpath of ['.', './lambda', './stores', './middlewares', './construct'] as const) {
      const { staticPackages } = await packagesLoadedBy(subpath);
      expect(
        staticPackages.filter((name) => Object.hasOwn(ALL_OPTIONAL_PEERS, name)),
        subpath,
      ).toEqual([]);
    }
    // The subpath of tracing loads its SDK: the team installs the tracing peers to import it.
    expect((await packagesLoadedBy('./tracing')).staticPackages).toEqual(
      expect.arrayContaining(Object.keys(OPTIONAL_PEERS.tracing.packages)),
    );
  });
  it('pin the example to this version and to the versions the repository tests', () => {
    const read = (file: string) =>
      JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as {
        version: string;
        dependencies: Record<string, string>;
        devDependencies: Record<string, string>;
      };
    const repo = read('package.json');
    const example = read('examples/minimal/package.json');
    expect(example.dependencies['guarded-agents']).toBe(`file:../../guarded-agents-${repo.version}.tgz`);
    for (const name of ['aws-cdk-lib', 'constructs', 'zod']) expect(example.dependencies[name], name).toBe(repo.devDependencies[name]);
    for (const name of ['aws-cdk', 'node', 'typescript']) expect(example.devDependencies[name], name).toBe(repo.devDependencies[name]);
    // The optional peers: the versions the repository tests; the example installs local mode's (and
    // so tracing's, which local mode uses) for npm start, as the error of a missing one says, and
    // cdk-nag for its checks at synth.
    for (const [name, version] of Object.entries(ALL_OPTIONAL_PEERS)) expect(repo.dependencies[name], name).toBe(version);
    for (const [name, version] of Object.entries({
      ...OPTIONAL_PEERS.local.packages,
      ...OPTIONAL_PEERS.tracing.packages,
      ...OPTIONAL_PEERS.nag.packages,
    }))
      expect(example.devDependencies[name], name).toBe(version);
    expect(installCommand('local', 'tracing')).toMatch(/^npm install --save-dev /);
  });
  it('ship the MCP SDK inside the package: only its facades import it, and their bundles import nothing but zod and Node', async () => {
    const repo = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(repo.dependencies['@modelcontextprotocol/sdk']).toBeUndefined();
    const importers = execFileSync(
      'git',
      ['grep', '-l', '--untracked', '@modelcontextprotocol/sdk/', '--', 'shared', 'functions', 'infra'],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    );
    expect(importers.trim().split('\n').sort()).toEqual(MCP_SDK_FACADES.map((facade) => `${facade}.ts`).sort());
    const out = mkdtempSync(join(tmpdir(), 'mcp-sdk-bundle-'));
    try {
      expect(await bundleMcpSdk(REPO_ROOT, out)).toContain(
        `@modelcontextprotocol/sdk@${repo.devDependencies['@modelcontextprotocol/sdk']}`,
      );
      for (const facade of MCP_SDK_FACADES) {
        const code = readFileSync(join(out, `${facade}.js`), 'utf8');
        const imported = [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm)].map((m) => m[1] as string);
        expect(imported.length, facade).toBeGreaterThan(0);
        expect(
          imported.filter((specifier) => !isBuiltin(specifier) && !/^zod(\/|$)/.test(specifier)),
          facade,
        ).toEqual([]);
      }
      expect(readFileSync(join(out, 'functions', 'commons', 'mcp-sdk', 'THIRD-PARTY-NOTICES.md'), 'utf8')).toContain(
        '## @modelcontextprotocol/sdk',
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
  it('resolve the package by its own name inside the repository to the same modules, as sources (examples/agentdojo imports it so)', () => {
    const repo = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string> };
    expect(repo.exports).toEqual(Object.fromEntries(Object.entries(ENTRY_POINTS).map(([subpath, module]) => [subpath, `./${module}.ts`])));
  });
});
