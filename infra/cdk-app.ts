import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type AppProps } from 'aws-cdk-lib';

/** The repository root, where cdk.json and cdk.out live. */
export const REPO_ROOT = join(import.meta.dirname, '..');

/**
 * The context of the project's cdk.json (in the working directory, where the CDK CLI reads it too):
 * the feature flags `cdk init` writes for the aws-cdk-lib in use. The CDK CLI passes it to the app;
 * `npm run synth`, the tests and the local system build the stack without the CLI, so they read it
 * here and every path synthesizes the same template. No cdk.json: no context.
 */
export const cdkJsonContext = (projectRoot = process.cwd()): Record<string, unknown> => {
  const file = join(projectRoot, 'cdk.json');
  return existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}) : {};
};

/**
 * An App with cdk.json's context. Context given here wins over cdk.json's (tests skip bundling
 * this way); context the CLI passes wins over both, as in any CDK app.
 *
 * @example
 * const app = createApp();
 * new MyStack(app, 'Agents');
 * app.synth();
 */
export const createApp = (props: AppProps = {}): App => new App({ ...props, context: { ...cdkJsonContext(), ...props.context } });

/**
 * An App for reading the template only (the local system, the tests): asset bundling is skipped (it
 * does not change the template), and so is aws-cdk-lib's built-in CloudFormation validation, which
 * takes about 2 s of CPU per synth; `cdk synth` (createApp) keeps it, and CI runs it on every change.
 */
export const createTemplateApp = (): App =>
  createApp({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
