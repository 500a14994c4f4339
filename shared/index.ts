/**
 * The package's root export (`guarded-agents`): what a tool's declaration needs, and nothing that
 * loads the AWS SDK or aws-cdk-lib, so a tool module imports it at no cost to its bundle
 * (test/package/exports.test.ts keeps it so). What needs the SDK is under the subpaths:
 * `guarded-agents/lambda`, `guarded-agents/stores`, `guarded-agents/construct`, `guarded-agents/local`.
 */
export * from './argument-types/index.ts';
export * from './tool/index.ts';
export * from './tool-result/index.ts';
export * from './redaction/index.ts';
export type { TableSpec } from './tables/index.ts';
export * from './remote-mcp/index.ts';
