/**
 * `npm run lint` checks the import graph with dependency-cruiser: no module imports itself back
 * through others, and no capability of shared/ needs another that needs it back (issue 33).
 * Type-only imports count: a cycle of types is still two pieces that cannot be read apart.
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module that imports itself back through others: the pieces of a cycle cannot be read, tested or bundled apart.',
      from: { path: '^(shared|functions|infra|examples)/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-capabilities',
      severity: 'error',
      scope: 'folder',
      comment:
        "A capability of shared/ that needs another which needs it back: they are one capability, or one of them holds the other's piece.",
      from: { path: '^shared/[^/]+$' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|dist|\\.data|coverage|reports)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
