import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PolicySource } from '../../shared/policies/index.ts';
import { type AnyTool, declarationVersion } from '../../shared/tool/index.ts';

/**
 * This package's own code, found from here, not from the app's tools folder. The extension is this
 * module's own: `.ts` in the repository (Node runs it as it is), `.js` in the installed package.
 */
const PACKAGE_ROOT = resolve(import.meta.dirname, '..', '..');
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
/** A module of this package by its path from the package root, without extension. */
export const packageModule = (...path: string[]): string => `${join(PACKAGE_ROOT, ...path)}${EXT}`;

/**
 * The orchestration functions, each a `handler.ts` whose factory reads the function's configuration
 * once and returns its handler (no module of the package has effects at import: the generated entry
 * makes the one call). `catalog`: the factory takes the deployment's tools (CallModel offers and
 * screens them, the API and MCP list them).
 */
export const FUNCTION_FACTORIES = {
  callModel: {
    module: packageModule('functions', 'orchestration', 'call-model', 'handler'),
    factory: 'createCallModelHandler',
    catalog: true,
  },
  api: { module: packageModule('functions', 'api', 'handler'), factory: 'createApiHandler', catalog: true },
  mcp: { module: packageModule('functions', 'api', 'mcp', 'handler'), factory: 'createMcpHandler', catalog: true },
  requestApproval: {
    module: packageModule('functions', 'orchestration', 'request-approval', 'handler'),
    factory: 'createRequestApprovalHandler',
    catalog: false,
  },
} as const;

/** Whether a tool is one of a remote MCP server's (declared with `defineMcpTool`). */
const isRemote = (tool: AnyTool) => tool.resources.some((r) => r.kind === 'mcpServer');

/**
 * A tool folder's files: `tool.ts` (the declaration, required) and `deps.ts` (its dependencies, when
 * it has any). A remote MCP server's tool needs no deps.ts: the package's own factory builds its
 * client (one source for its Lambda entry and local mode alike).
 */
export const toolFiles = (folder: string, tool: Pick<AnyTool, 'name' | 'resources'>) => {
  const declaration = resolve(folder, 'tool.ts');
  if (!existsSync(declaration)) throw new Error(`Tool ${tool.name} has no declaration at ${declaration}: its folder needs tool.ts`);
  const deps = resolve(folder, 'deps.ts');
  return {
    declaration,
    deps: existsSync(deps) ? deps : isRemote(tool as AnyTool) ? packageModule('functions', 'commons', 'remote-mcp', 'deps') : undefined,
  };
};

/**
 * With tracing on, an entry starts the OpenTelemetry SDK and sends its spans before each answer;
 * with it off, the entry does not import it, so the bundle carries none of the SDK.
 */
const tracingImport = (traced = false) =>
  traced ? [`import { withTracing } from ${JSON.stringify(packageModule('functions', 'commons', 'lambda-tracing'))};`] : [];
const traceWrap = (traced: boolean | undefined, handler: string) => (traced ? `withTracing(${handler})` : handler);

/** The clients a tool's dependencies are built on, from its declared resources (the DynamoDB client always: the guards use it). */
const clientsOf = (tool: AnyTool) => {
  const kinds = new Set(tool.resources.map((r) => r.kind));
  return {
    imports: [
      ...(kinds.has('documents')
        ? [`import { newS3Client } from ${JSON.stringify(packageModule('functions', 'commons', 'clients', 's3-client'))};`]
        : []),
      ...(kinds.has('email')
        ? [`import { newSesClient } from ${JSON.stringify(packageModule('functions', 'commons', 'clients', 'ses-client'))};`]
        : []),
      ...(kinds.has('mcpServer')
        ? [`import { newSecretsClient } from ${JSON.stringify(packageModule('functions', 'commons', 'clients', 'secrets-client'))};`]
        : []),
    ],
    object: `{ ${[
      'dynamoDb',
      ...(kinds.has('documents') ? ['s3: newS3Client()'] : []),
      ...(kinds.has('email') ? ['ses: newSesClient()'] : []),
      ...(kinds.has('mcpServer') ? ['secrets: newSecretsClient()'] : []),
      ...(kinds.has('internet') || kinds.has('mcpServer') ? ['fetch: globalThis.fetch'] : []),
    ].join(', ')} }`,
  };
};

/** A deployment's policies as one tool's function gets them: the set's hash, and the policies that apply to the tool. */
export interface ToolPolicies {
  readonly hash: string;
  readonly sources: readonly PolicySource[];
  /** An enforced policy that applies may ask approval of the tool's calls. */
  readonly asksApproval: boolean;
}

/** Whether a tool's function reads approvals: destructive tools, sinks, and tools a policy may ask approval for. */
export const toolReadsApprovals = (tool: AnyTool, policies?: ToolPolicies): boolean =>
  tool.risk === 'destructive' || tool.reaches === 'external' || policies?.asksApproval === true;

// A tool no policy names records its calls under the set's hash without loading Cedar.
const policyImport = (policies?: ToolPolicies) =>
  policies && policies.sources.length > 0
    ? [`import { compilePolicies } from ${JSON.stringify(packageModule('shared', 'policies', 'policy-set'))};`]
    : [];
const policyCompile = (policies?: ToolPolicies) =>
  !policies
    ? []
    : policies.sources.length > 0
      ? [
          `const policies = { hash: ${JSON.stringify(policies.hash)}, set: await compilePolicies(${JSON.stringify(policies.sources)}, [tool], { validate: false, hash: ${JSON.stringify(policies.hash)} }) };`,
        ]
      : [`const policies = { hash: ${JSON.stringify(policies.hash)} };`];

/**
 * Writes a generated Lambda entry named by its content under `node_modules/.cache/guarded-agent/`
 * of the project root (NodejsFunction bundles only entries inside the project): the same props give
 * the same file, and two synths with other tools never write the same file.
 * @returns the entry's path
 */
const writeEntry = (kind: string, lines: readonly string[], projectRoot = process.cwd()): string => {
  const source = ['// Generated by GuardedAgent at synth time from its props. Do not edit.', ...lines, ''].join('\n');
  const dir = join(projectRoot, 'node_modules', '.cache', 'guarded-agent');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.ts`);
  if (!existsSync(file)) writeFileSync(file, source);
  return file;
};

/**
 * The Lambda entry of one tool: its declaration from `tool.ts`, its dependencies from `deps.ts`
 * (built on the clients its resources need, and no others, so its bundle carries only those), behind
 * the guard pipeline as every tool is, with its declaration's version (computed here, so the bundle
 * needs no JSON Schema) for its audit records. Local mode builds the same handler from the same two files.
 */
export const writeToolEntry = (options: {
  tool: AnyTool;
  folder: string;
  traced?: boolean;
  projectRoot?: string;
  /** The deployment's policies: the set's hash, the ones that apply to this tool, and whether one may ask approval of it. */
  policies?: ToolPolicies;
}): string => {
  const { tool, policies } = options;
  const files = toolFiles(options.folder, tool);
  const clients = clientsOf(tool);
  // Destructive tools, sinks and tools a policy may ask approval for verify approvals; the others' bundles leave the reader out.
  const readsApprovals = toolReadsApprovals(tool, policies);
  return writeEntry(
    `tool-${tool.name.replaceAll('_', '-')}`,
    [
      `import { createToolHandler } from ${JSON.stringify(packageModule('functions', 'commons', 'tool-handler'))};`,
      `import { declaredTool } from ${JSON.stringify(packageModule('shared', 'tool', 'declared-tool'))};`,
      `import { requireEnv } from ${JSON.stringify(packageModule('shared', 'aws', 'env'))};`,
      `import { dynamoDb } from ${JSON.stringify(packageModule('functions', 'commons', 'clients', 'dynamodb'))};`,
      ...clients.imports,
      // Destructive tools check their approval; the others' bundles leave the reader out.
      ...(readsApprovals
        ? [`import { approvalReaderFromEnv } from ${JSON.stringify(packageModule('functions', 'commons', 'clients', 'approval-reader'))};`]
        : []),
      `import * as declaration from ${JSON.stringify(files.declaration)};`,
      ...(files.deps ? [`import { createDeps } from ${JSON.stringify(files.deps)};`] : []),
      ...policyImport(policies),
      '',
      ...tracingImport(options.traced),
      `const tool = declaredTool(declaration, ${JSON.stringify(tool.name)});`,
      ...policyCompile(policies),
      `export const handler = ${traceWrap(options.traced, `createToolHandler(tool, ${files.deps ? `createDeps(requireEnv, ${clients.object})` : '{}'}, ${readsApprovals ? 'approvalReaderFromEnv()' : 'undefined'}, ${JSON.stringify(declarationVersion(tool))}${policies ? ', policies' : ''})`)};`,
    ],
    options.projectRoot,
  );
};

/** The options a catalog function's factory is called with: the archive's client, the policy files. */
const factoryOptions = (options: { archived?: boolean; policies?: readonly PolicySource[] }): string => {
  const fields = [
    ...(options.archived ? ['auditArchive: auditArchiveFromEnv()'] : []),
    ...(options.policies ? ['policies: await compilePolicies(policySources, registry.tools)'] : []),
  ];
  return fields.length > 0 ? `, { ${fields.join(', ')} }` : '';
};

/**
 * The Lambda entry of an orchestration function: it calls the function's factory once, at cold
 * start. One that needs the deployment's tools imports each tool's declaration from its folder's
 * `tool.ts` and hands the registry of exactly those tools to the factory. Derived from the
 * construct's props only, so the model is offered the tools that are deployed, whatever catalog the
 * repository holding the construct has.
 */
export const writeFunctionEntry = (options: {
  fn: keyof typeof FUNCTION_FACTORIES;
  /** The deployment's tools and their folders: for the functions that take the catalog. */
  catalog?: { readonly tools: readonly AnyTool[]; readonly folderOf: (tool: string) => string };
  traced?: boolean;
  /** The deployment has an audit archive: the entry builds its S3 client and hands it to the factory. */
  archived?: boolean;
  /** The deployment's policy files: written into the entry (bundled with the function), compiled by the factory at cold start. */
  policies?: readonly PolicySource[];
  projectRoot?: string;
}): string => {
  const { module, factory, catalog } = FUNCTION_FACTORIES[options.fn];
  if (catalog !== (options.catalog !== undefined)) throw new Error(`${options.fn}'s entry ${catalog ? 'needs' : 'takes no'} catalog`);
  const listed = options.catalog;
  const imports = listed
    ? listed.tools.map((tool, i) => ({
        binding: `tool${i}`,
        file: toolFiles(listed.folderOf(tool.name), tool).declaration,
        name: tool.name,
      }))
    : [];
  return writeEntry(
    options.fn,
    [
      ...(catalog
        ? [
            `import { createToolRegistry } from ${JSON.stringify(packageModule('shared', 'tool', 'tool-registry'))};`,
            `import { declaredTool } from ${JSON.stringify(packageModule('shared', 'tool', 'declared-tool'))};`,
          ]
        : []),
      `import { ${factory} } from ${JSON.stringify(module)};`,
      ...imports.map(({ binding, file }) => `import * as ${binding} from ${JSON.stringify(file)};`),
      ...tracingImport(options.traced),
      ...(options.archived
        ? [`import { auditArchiveFromEnv } from ${JSON.stringify(packageModule('functions', 'commons', 'clients', 'audit-archive'))};`]
        : []),
      '',
      ...(options.policies
        ? [
            `import { compilePolicies } from ${JSON.stringify(packageModule('shared', 'policies', 'policy-set'))};`,
            // The deployment's policy files, compiled once per container (Cedar is loaded only where there are any).
            `const policySources = ${JSON.stringify(options.policies)};`,
          ]
        : []),
      ...(catalog
        ? [
            `const registry = createToolRegistry([`,
            ...imports.map(({ binding, name }) => `  declaredTool(${binding}, ${JSON.stringify(name)}),`),
            `]);`,
            `const created = await ${factory}(registry${factoryOptions(options)});`,
          ]
        : [`const created = await ${factory}();`]),
      `export const handler = ${traceWrap(options.traced, 'created')};`,
    ],
    options.projectRoot,
  );
};
