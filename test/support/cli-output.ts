import { vi } from 'vitest';

/** Runs a CLI's `main` in this process and keeps what it printed: its exit code, its stdout and its stderr lines. */
export const runCli = async (main: (argv: readonly string[], env: NodeJS.ProcessEnv) => Promise<number>, args: readonly string[]) => {
  const out: string[] = [];
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((m: unknown) => void out.push(String(m)));
  const error = vi.spyOn(console, 'error').mockImplementation((m: unknown) => void errors.push(String(m)));
  try {
    return { code: await main(args, {}), out: out.join('\n'), errors: errors.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
};
