/**
 * `npm run test:busy`: the whole suite with two CPU-bound helper processes beside it, as on a busy
 * 2-core CI machine. The helpers spin for at most 30 minutes and are stopped when the suite ends;
 * the exit code is the suite's. Extra arguments go to vitest.
 */
import { spawn } from 'node:child_process';

const HELPERS = 2;
const MAX_SPIN_MS = 30 * 60_000;

const helpers = Array.from({ length: HELPERS }, () =>
  spawn(
    process.execPath,
    ['-e', `const end = Date.now() + ${MAX_SPIN_MS}; let x = 0; while (Date.now() < end) x = (x + Math.sqrt(x + 1)) % 1e9;`],
    { stdio: 'ignore' },
  ),
);
const stopHelpers = () => {
  for (const helper of helpers) helper.kill('SIGKILL');
};
process.on('exit', stopHelpers);
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

console.log(`test:busy: ${HELPERS} CPU-bound helpers running beside the suite`);
const suite = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
suite.on('exit', (code, signal) => {
  stopHelpers();
  process.exit(code ?? (signal ? 1 : 0));
});
