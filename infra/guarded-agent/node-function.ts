import type { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { lambdaEsbuildOptions, LAZY_SDK_MODULES } from '../lambda-bundling.ts';
import { acknowledge } from '../nag-acknowledgements.ts';
import { cedarPackageDir } from './agent-policies.ts';

const CEDAR_MODULE = '@cedar-policy/cedar-wasm';

export interface NodeFunctionProps {
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * The function evaluates Cedar policies: Cedar's Node bindings (a 4.3 MB WebAssembly file they
   * read beside them) ship in the asset's node_modules, outside the bundle. @default false
   */
  readonly cedar?: boolean;
}

/** Copies Cedar's Node bindings into the asset, where the bundle's `import('@cedar-policy/cedar-wasm/nodejs')` finds them. */
const cedarHooks = () => {
  const from = cedarPackageDir();
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_input: string, output: string) => [
      `mkdir -p "${output}/node_modules/@cedar-policy/cedar-wasm"`,
      `cp "${from}/package.json" "${output}/node_modules/@cedar-policy/cedar-wasm/"`,
      `cp -r "${from}/nodejs" "${output}/node_modules/@cedar-policy/cedar-wasm/"`,
    ],
  };
};

/**
 * Every function of the project is made here: Node 24 (the newest runtime aws-cdk-lib offers),
 * arm64, traced, its own log group, bundled as measured in infra/lambda-bundling.ts.
 */
export const createNodeFunction = (scope: Construct, id: string, props: NodeFunctionProps): NodejsFunction => {
  const fn = new NodejsFunction(scope, id, {
    entry: props.entry,
    description: props.description,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize ?? 256,
    timeout: props.timeout,
    tracing: Tracing.ACTIVE,
    logGroup: new LogGroup(scope, `${id}Logs`, { retention: props.logRetention }),
    environment: { POWERTOOLS_SERVICE_NAME: 'guarded-agents', POWERTOOLS_LOG_LEVEL: 'INFO', ...props.environment },
    bundling: {
      format: OutputFormat.ESM,
      minify: lambdaEsbuildOptions.minify === true,
      target: String(lambdaEsbuildOptions.target),
      mainFields: [...(lambdaEsbuildOptions.mainFields ?? [])],
      // Cedar stays outside every bundle: a function without policies never loads it, and then it
      // need not be installed at all (an optional peer; esbuild would otherwise have to resolve it).
      externalModules: [...LAZY_SDK_MODULES, CEDAR_MODULE],
      ...(props.cedar ? { commandHooks: cedarHooks() } : {}),
      banner: lambdaEsbuildOptions.banner?.js ?? '',
      sourceMap: false,
    },
  });
  acknowledge(
    scope,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AWSLambdaBasicExecutionRole only lets the function write its own CloudWatch Logs; it is the policy AWS documents for that and grants no data access.',
  );
  acknowledge(
    scope,
    'AwsSolutions-IAM5[Resource::*]',
    'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (AWS requires *). A template test pins * to these actions only.',
  );
  acknowledge(
    scope,
    'Serverless-LambdaDLQ',
    'The state machine invokes these functions synchronously and catches and records every failure; a DLQ applies to asynchronous invocations only.',
  );
  return fn;
};
