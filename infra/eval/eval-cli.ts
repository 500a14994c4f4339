/**
 * `npm run eval`: the shipped cases (cases/demo-cases.json) against the demo app, on a local system
 * started here unless --url names a running API. Options: infra/eval/eval-main.ts.
 */
import { join } from 'node:path';
import { demoApp } from '../local/demo-app.ts';
import { evalMain } from './eval-main.ts';

export const DEMO_CASES = join(import.meta.dirname, 'cases', 'demo-cases.json');

export const main = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> =>
  evalMain(argv, { app: demoApp(), defaultCases: DEMO_CASES, env });

if (import.meta.main) process.exit(await main(process.argv.slice(2)));
