/**
 * The MCP SDK, shipped inside the package: each of its facades (functions/commons/mcp-sdk) is
 * replaced in the built package by one bundle of what it exports, with everything that needs but
 * zod (a peer: the team's own). A team then installs neither the SDK nor what it depends on for
 * other transports (express, hono, about 90 packages and 28 MB); only the code the endpoint and the
 * client run is shipped. The bundled packages' licences go beside the bundles (THIRD-PARTY-NOTICES.md).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** The facades, by their path without extension (the same in the repository and in the package). */
export const MCP_SDK_FACADES = ['functions/commons/mcp-sdk/server', 'functions/commons/mcp-sdk/client'] as const;

/** The folder of the package a bundled file came from (the last node_modules/<name> of its path). */
const packageDirOf = (root: string, input: string): string | undefined => {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match ? join(root, match[1] as string) : undefined;
};

/** A package's licence text: its LICENSE (or LICENCE, COPYING) file, else its manifest's licence field. */
const licenceOf = (dir: string, manifest: { license?: string }): string => {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
  return file ? readFileSync(join(dir, file), 'utf8').trim() : `Licence: ${manifest.license ?? 'not stated'}`;
};

/**
 * Every import of ajv resolved as the SDK resolves it: ajv-formats would bring a second copy of the
 * same version from the top of node_modules.
 */
const oneAjv = (root: string): Plugin => ({
  name: 'one-ajv',
  setup(esbuild) {
    const sdk = join(root, 'node_modules', '@modelcontextprotocol', 'sdk');
    esbuild.onResolve({ filter: /^ajv(\/.*)?$/ }, async (args) =>
      args.resolveDir.startsWith(sdk) || args.pluginData === 'one-ajv'
        ? undefined
        : esbuild.resolve(args.path, { kind: args.kind, resolveDir: sdk, pluginData: 'one-ajv' }),
    );
  },
});

/** Bundles each facade over the tsc output in `out`, and writes the notices of every package bundled. */
export const bundleMcpSdk = async (root: string, out: string): Promise<string[]> => {
  const bundled = new Set<string>();
  for (const facade of MCP_SDK_FACADES) {
    const result = await build({
      entryPoints: [join(root, `${facade}.ts`)],
      outfile: join(out, `${facade}.js`),
      allowOverwrite: true,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: ['zod', 'zod/*'],
      legalComments: 'inline',
      metafile: true,
      plugins: [oneAjv(root)],
      logLevel: 'warning',
      banner: { js: '// The MCP SDK and what it needs, bundled by guarded-agents: licences in THIRD-PARTY-NOTICES.md beside this file.' },
    });
    for (const input of Object.keys(result.metafile.inputs)) {
      const dir = packageDirOf(root, input);
      if (dir) bundled.add(dir);
    }
  }
  const byName = new Map<string, { dir: string; manifest: { name: string; version: string; license?: string } }>();
  for (const dir of [...bundled].filter((d) => existsSync(join(d, 'package.json')))) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
    byName.set(`${manifest.name}@${manifest.version}`, { dir, manifest });
  }
  const packages = [...byName.values()].sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
  writeFileSync(
    join(out, dirname(MCP_SDK_FACADES[0]), 'THIRD-PARTY-NOTICES.md'),
    `# Third-party notices\n\nThe bundles in this folder (\`server.js\`, \`client.js\`) contain these packages.\n\n${packages
      .map(({ dir, manifest }) => `## ${manifest.name} ${manifest.version}\n\n\`\`\`\n${licenceOf(dir, manifest)}\n\`\`\`\n`)
      .join('\n')}`,
  );
  return packages.map(({ manifest }) => `${manifest.name}@${manifest.version}`);
};
