/**
 * The package's exports: each subpath and the module (from the repository root, without extension)
 * behind it. One list for the build (which writes the exports map) and the test that keeps the
 * root free of the AWS SDK and aws-cdk-lib.
 */
export const ENTRY_POINTS = {
  '.': 'shared/index',
  './lambda': 'functions/lambda',
  './stores': 'shared/stores',
  './middlewares': 'shared/middlewares',
  './construct': 'infra/guarded-agent/index',
  './local': 'infra/local/index',
  './eval': 'infra/eval/index',
  './tracing': 'shared/tracing',
} as const;
