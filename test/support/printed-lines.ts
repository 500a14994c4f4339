import { vi } from 'vitest';

/** The lines `run` printed to stdout (Powertools' log lines and EMF documents), kept from the terminal. */
export const printedLines = async (run: () => Promise<unknown>): Promise<string[]> => {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return chunks.flatMap((chunk) => chunk.split('\n')).filter((line) => line !== '');
};
