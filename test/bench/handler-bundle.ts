/**
 * The `lookup_order` Lambda bundled by esbuild as deployed (infra/lambda-bundling.ts): its size with
 * and without the SDK, the time to import it in a fresh Node process, and one real call of the
 * bundle in that process against dynalite (the bundle works, not just loads).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { lookupOrder } from '#functions/tools/lookup-order/tool.ts';
import { lambdaEsbuildOptions } from '../../infra/lambda-bundling.ts';
import { summary } from './bench-stats.ts';
import { demoEntries } from './system-figures.ts';

/** Builds and checks the bundle now (dynalite running); returns the timing, to run once dynalite is stopped. */
export const measureHandlerBundle = async (endpoint: string, tables: Record<string, string>) => {
  const outdir = join(process.cwd(), 'dist', 'bench');
  mkdirSync(outdir, { recursive: true });
  const entry = demoEntries().get(lookupOrder.name) as string;
  const withSdk = join(outdir, 'lookup-order.with-sdk.mjs');
  const noSdk = join(outdir, 'lookup-order.no-sdk.mjs');
  await build({ ...lambdaEsbuildOptions, entryPoints: [entry], outfile: withSdk, logLevel: 'silent' });
  await build({ ...lambdaEsbuildOptions, external: ['@aws-sdk/*'], entryPoints: [entry], outfile: noSdk, logLevel: 'silent' });
  const env = {
    ...process.env,
    ...tables,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
  const importMs = (file: string) => {
    const runs = Array.from({ length: 9 }, () =>
      Number(
        execFileSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t);`,
          ],
          { env, encoding: 'utf8', timeout: 30_000 },
        ).trim(),
      ),
    );
    return summary(runs).p50;
  };
  // One real invocation of the deployed bundle, in a fresh process, with credentials from the environment as in Lambda.
  // Asynchronous on purpose: dynalite answers from this process, so it must not be blocked.
  const smoke = (
    await promisify(execFile)(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
    const { handler } = await import(${JSON.stringify(pathToFileURL(withSdk).href)});
    const context = { awsRequestId: 'smoke', functionName: 'lookup-order', getRemainingTimeInMillis: () => 10000 };
    const result = await handler({ runId: 'smoke', callId: 'smoke-1', tool: 'lookup_order', caller: { userId: 'bench', groups: ['user'] }, arguments: { orderId: 'ORD-104231' } }, context);
    console.log(JSON.stringify(result));
    process.exit(0);`,
      ],
      { env, encoding: 'utf8', timeout: 30_000 },
    )
  ).stdout.trim();
  if (!smoke.startsWith('{"ok":true')) throw new Error(`the bundled handler did not answer a call: ${smoke}`);
  // Timed later, once dynalite is stopped, so that nothing else in this process competes for the CPU.
  return () => ({
    withSdk: { kb: statSync(withSdk).size / 1024, importMs: importMs(withSdk) },
    noSdk: { kb: statSync(noSdk).size / 1024, importMs: importMs(noSdk) },
  });
};
