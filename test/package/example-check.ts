/**
 * `npm run example:check` (CI runs it): what a team does, from a packed tarball. Packs the package,
 * copies examples/minimal next to it as a new app would be, installs the tarball there from
 * scratch, type-checks the app against the package's declarations, runs its tests (`npm test`),
 * checks that its local mode closes dynalite's store iterators (example-iterators.ts), runs its
 * `cdk synth` (bundling on, cdk-nag on) and its `npm start`, and makes one guarded call of its own
 * tool over HTTP: executed when valid, refused at validation when not, both in the audit trail. Then, as a team that only
 * deploys: the same app without any optional peer (local mode's, tracing's, Cedar's, cdk-nag) installs and
 * synthesizes (without its attachNagPacks line, which names cdk-nag's install command), and what the package adds to a plain CDK app is measured (docs/benchmarks.md,
 * "Install footprint").
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDocSection } from '../../infra/docs-section.ts';
import { ALL_OPTIONAL_PEERS, installCommand } from '../../shared/optional-peers/index.ts';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'guarded-agents-example-'));
const app = join(work, 'minimal');
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' },
  });
const step = (name: string) => console.log(`== ${name}`);

/**
 * The console, from the installed package: the page and every script it loads, following the
 * modules' imports; each of the repository's console modules must be among them, served as JavaScript.
 */
const checkConsoleServed = async (base: string) => {
  const page = await (await fetch(`${base}/console`)).text();
  const pending = [...page.matchAll(/<script[^>]* src="([^"]+)"/g)].map((m) => m[1] as string);
  const served = new Set<string>();
  while (pending.length > 0) {
    const path = pending.pop() as string;
    if (served.has(path)) continue;
    const response = await fetch(`${base}${path}`);
    if (!response.ok || !response.headers.get('content-type')?.startsWith('text/javascript'))
      fail(`the console's ${path} is not served from the package (${response.status})`);
    served.add(path);
    for (const m of (await response.text()).matchAll(/\bfrom '\.\/([\w-]+\.js)'/g)) pending.push(`/console/${m[1]}`);
  }
  const modules = readdirSync(join(root, 'infra/local/console')).filter((name) => name.endsWith('.js'));
  const unreached = modules.filter((name) => !served.has(`/console/${name}`));
  if (unreached.length > 0) fail(`the console page never loads ${unreached.join(', ')}`);
};
const fail = (message: string): never => {
  throw new Error(`example check: ${message}`);
};

const dirBytes = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const path = join(dir, entry.name);
    return sum + (entry.isDirectory() ? dirBytes(path) : entry.isFile() ? statSync(path).size : 0);
  }, 0);

/** What an app is copied without: what installing and synthesizing make. */
const withoutBuildOutput = (source: string) => !/[/\\](node_modules|cdk\.out)([/\\]|$)/.test(source);

/** Installs a copy of the app with its manifest changed by `edit` into `dir`: its packages, and node_modules in MB. */
const installCopy = (dir: string, edit: (manifest: Manifest) => void) => {
  cpSync(app, dir, { recursive: true, filter: withoutBuildOutput });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  edit(manifest);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  if (install.status !== 0) fail(`npm install in ${dir} failed (${install.status}): ${install.stderr}`);
  return { packages: installedCount(dir), mb: dirBytes(join(dir, 'node_modules')) / 1024 / 1024 };
};

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const installedCount = (dir: string) =>
  Object.keys(
    (JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> }).packages,
  ).length;

const withoutOptionalPeers = (manifest: Manifest) => {
  for (const name of Object.keys(ALL_OPTIONAL_PEERS)) delete manifest.devDependencies[name];
};

let server: ReturnType<typeof spawn> | undefined;
try {
  step('build and pack the package');
  npm(['run', 'build'], root);
  const packed = JSON.parse(npm(['pack', join(root, 'dist', 'package'), '--json', '--pack-destination', work], root)) as Array<{
    filename: string;
    size: number;
    unpackedSize: number;
    entryCount: number;
  }>;
  const tarball = packed[0] ?? fail('npm pack reported nothing');
  // What npm publish would say of the manifest (dry run: nothing leaves the machine). It fixes some
  // mistakes silently, a bin path with './' among them (dropped): any warning but the login fails here.
  const publish = spawnSync('npm', ['publish', '--dry-run'], { cwd: join(root, 'dist', 'package'), encoding: 'utf8' });
  const publishWarnings = publish.stderr.split('\n').filter((line) => /^npm warn/.test(line) && !/requires you to be logged in/.test(line));
  if (publish.status !== 0 || publishWarnings.length > 0)
    fail(`npm publish --dry-run is not clean:\n${publishWarnings.join('\n') || publish.stderr}`);
  const tarballPath = join(work, tarball.filename);

  step('a new app next to it: examples/minimal, installed from the tarball');
  cpSync(join(root, 'examples', 'minimal'), app, {
    recursive: true,
    filter: withoutBuildOutput,
  });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  // The example names the tarball `npm run pack` writes at the repository root; here it is in `work`.
  if (manifest.dependencies['guarded-agents'] !== `file:../../${tarball.filename}`)
    fail(
      `examples/minimal/package.json must depend on file:../../${tarball.filename} (the version packed), not ${manifest.dependencies['guarded-agents']}`,
    );
  manifest.dependencies['guarded-agents'] = `file:${tarballPath}`;
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const installStarted = performance.now();
  // No install script of the package's dependencies has to run (esbuild finds its binary in its
  // platform package, classic-level loads its prebuilt one): the example denies them, and npm must
  // not ask for any other.
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8', env: { ...process.env } });
  process.stderr.write(install.stderr);
  if (install.status !== 0) fail(`npm install failed (${install.status})`);
  if (/install scripts? not yet covered/.test(install.stderr))
    fail('installing the package asks for an install script to be allowed (above)');
  const installSeconds = (performance.now() - installStarted) / 1000;
  const installed = installedCount(app);
  const installedMb = dirBytes(join(app, 'node_modules')) / 1024 / 1024;

  step("type-check the app against the package's declarations");
  npm(['run', 'typecheck'], app);

  step("the app's own tests of its tool, on the embedded parts (npm test)");
  console.log(
    npm(['test'], app)
      .split('\n')
      .filter((line) => /^# (tests|pass|fail)/.test(line))
      .join(', '),
  );

  step("local mode in the app closes dynalite's store iterators (the package's fix applies in a team's install too)");
  for (const file of ['package/example-iterators.ts', 'support/store-iterators.ts'])
    cpSync(join(root, 'test', file), join(app, file.replace(/^package\//, 'package-check/')));
  console.log(
    execFileSync(join(app, 'node_modules', '.bin', 'node'), ['package-check/example-iterators.ts'], { cwd: app, encoding: 'utf8' }).trim(),
  );

  step('cdk synth (bundling and cdk-nag on)');
  execFileSync('npx', ['cdk', 'synth', '-q'], { cwd: app, stdio: 'inherit' });
  const template = JSON.parse(readFileSync(join(app, 'cdk.out', 'MinimalAgent.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: { Description?: string } }>;
  };
  const functions = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function')
    .map((r) => r.Properties?.Description ?? '');
  if (!functions.some((d) => d.startsWith('Tool convert_temperature')))
    fail(`the template has no Lambda for the app's own tool: ${functions.join('; ')}`);

  step("npm start, and one guarded call of the app's own tool");
  server = spawn('npm', ['start'], { cwd: app, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready: ${out}`)), 120_000);
    server?.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /guarded-agents local: (http:\/\/[\d.:]+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    server?.on('exit', (code) => reject(new Error(`npm start exited (${code}): ${out}`)));
  });
  const api = async (path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: 'Bearer local-user-token', 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  await checkConsoleServed(base);
  const tools = (await api('/tools')).tools as Array<{ name: string }>;
  if (tools.map((t) => t.name).join() !== 'convert_temperature')
    fail(`GET /tools lists ${JSON.stringify(tools.map((t) => t.name))}, not the app's one tool`);
  // The package's bin, on the app's own /mcp (an MCP server like any remote one): what a team runs to pin a remote tool.
  const pins = execFileSync('npx', ['guarded-agents-mcp-pin', `${base}/mcp`, '--json'], {
    cwd: app,
    env: { ...process.env, MCP_AUTH: JSON.stringify({ bearerToken: 'local-user-token' }) },
    encoding: 'utf8',
  });
  if (!/"remoteName": "convert_temperature",\s*"pinned": "sha256:[0-9a-f]{64}"/.test(pins))
    fail(`guarded-agents-mcp-pin did not list the app's tool with its pin: ${pins}`);
  const turns = [
    {
      toolCalls: [
        { name: 'convert_temperature', arguments: { degrees: 21, from: 'celsius' } },
        { name: 'convert_temperature', arguments: { degrees: 21, from: 'kelvin' } },
      ],
    },
    { text: 'About 70 degrees Fahrenheit.' },
  ];
  const { runId } = (await api('/runs', {
    input: 'What is 21 degrees Celsius in Fahrenheit?',
    model: { provider: 'scripted', turns },
  })) as { runId: string };
  let run: Record<string, unknown> = {};
  for (let i = 0; i < 600 && !['SUCCEEDED', 'FAILED', 'MAX_ITERATIONS'].includes(String(run.status)); i++) {
    await new Promise((r) => setTimeout(r, 100));
    run = await api(`/runs/${runId}`);
  }
  if (run.status !== 'SUCCEEDED') fail(`the run ended ${String(run.status)}: ${JSON.stringify(run)}`);
  const records = (await api(`/runs/${runId}/audit`)).records as Array<{ status: string; result?: string; code?: string }>;
  const statuses = records
    .map((r) => r.status)
    .sort()
    .join();
  if (statuses !== 'executed,rejected') fail(`the audit holds ${statuses}, not one executed and one rejected call`);
  if (!records.some((r) => r.status === 'executed' && r.result === JSON.stringify({ degrees: 69.8, scale: 'fahrenheit' })))
    fail(`the executed call did not return 69.8 F: ${JSON.stringify(records)}`);

  step('a team that only deploys: no optional peer installed, cdk synth all the same; and a plain CDK app beside it');
  const deployOnly = installCopy(join(work, 'deploy-only'), withoutOptionalPeers);
  // Nor the MCP SDK: the package ships it bundled (infra/package/bundle-mcp-sdk.ts).
  for (const name of [...Object.keys(ALL_OPTIONAL_PEERS), '@modelcontextprotocol/sdk'])
    if (statSync(join(work, 'deploy-only', 'node_modules', name), { throwIfNoEntry: false }))
      fail(`installing the package pulled in ${name}`);
  // Without cdk-nag, attachNagPacks names the command that installs it; the app without that line synthesizes.
  const nagless = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { App } from 'aws-cdk-lib'; import { attachNagPacks } from 'guarded-agents/construct'; attachNagPacks(new App());",
    ],
    { cwd: join(work, 'deploy-only'), encoding: 'utf8' },
  );
  if (
    nagless.status === 0 ||
    !nagless.stderr.includes(`OptionalPeerMissingError: attachNagPacks needs cdk-nag`) ||
    !nagless.stderr.includes(installCommand('nag'))
  )
    fail(`attachNagPacks without cdk-nag did not name its install command (${nagless.status}): ${nagless.stderr}`);
  const appFile = join(work, 'deploy-only', 'app.ts');
  const appSource = readFileSync(appFile, 'utf8');
  if (!appSource.includes('attachNagPacks(app);\n')) fail('the example app no longer calls attachNagPacks(app)');
  writeFileSync(appFile, appSource.replace('attachNagPacks(app);\n', ''));
  execFileSync('npx', ['cdk', 'synth', '-q'], { cwd: join(work, 'deploy-only'), stdio: 'inherit' });
  const plain = installCopy(join(work, 'plain-cdk'), (manifest) => {
    withoutOptionalPeers(manifest);
    delete manifest.dependencies['guarded-agents'];
  });
  writeDocSection(
    join(root, 'docs', 'benchmarks.md'),
    'install',
    `## Install footprint (\`npm run example:check\`)

Measured by \`npm run example:check\`, ${new Date().toISOString().slice(0, 10)}, npm ${npm(['--version'], root).trim()}: examples/minimal installed from the packed tarball (${(tarball.size / 1024).toFixed(0)} KB).

| the app | packages | node_modules |
|---|---|---|
| a plain CDK app: aws-cdk-lib, constructs, zod, the CDK CLI, TypeScript, Node 24 (the \`node\` package) | ${plain.packages} | ${plain.mb.toFixed(0)} MB |
| the same, deploying with guarded-agents (\`./construct\`, \`./lambda\`; no optional peer, so no cdk-nag) | ${deployOnly.packages} | ${deployOnly.mb.toFixed(0)} MB |
| **what guarded-agents adds to deploy** | **${deployOnly.packages - plain.packages}** | **${(deployOnly.mb - plain.mb).toFixed(0)} MB** |
| the example as shipped: with local mode's and tracing's optional peers (\`npm start\`) and cdk-nag | ${installed} | ${installedMb.toFixed(0)} MB |

What the package adds to deploy is most of all esbuild (bundling the functions) and the AWS SDK's clients (which a team's own functions share). cdk-nag (${(dirBytes(join(app, 'node_modules', 'cdk-nag')) / 1024 / 1024).toFixed(1)} MB) is an optional peer, installed by a team that runs its checks (\`attachNagPacks\`). The MCP SDK ships inside the package, bundled with what the \`/mcp\` endpoint and the remote tools' client run (about 0.9 MB), so none of its HTTP server libraries is installed. Local mode, tracing, Cedar policies and cdk-nag's checks add their optional peers ([Getting started](getting-started.md#optional-peers-what-only-some-features-need)).`,
  );

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(
    `example check passed: ${tarball.filename} ${kb(tarball.size)} packed, ${kb(tarball.unpackedSize)} unpacked, ${tarball.entryCount} files; installing it into the example: ${installed} packages, node_modules ${installedMb.toFixed(0)} MB, ${installSeconds.toFixed(0)} s; the app's tool called locally (executed 69.8 F, a bad argument rejected) and in the synthesized template`,
  );
} finally {
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
  rmSync(work, { recursive: true, force: true });
}
