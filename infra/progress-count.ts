/** Where progress is written: a terminal, or a log (CI, a file). */
export type ProgressStream = Pick<NodeJS.WriteStream, 'write'> & { readonly isTTY?: boolean };

/**
 * Counts finished runs on a stream. On a terminal, one line rewritten in place; anywhere else (a CI
 * log, a file, a pipe) a line every `every` runs and one at the end, so the log reads line by line
 * instead of "1 run(s) done2 run(s) done…" on one line.
 *
 * @example
 * const progress = progressCount(process.stderr, 'run(s)');
 * await runEval(target, model, { onRepetition: progress.tick });
 * progress.end();
 */
export const progressCount = (stream: ProgressStream, noun: string, every = 10) => {
  let done = 0;
  const line = () => `${done} ${noun} done`;
  return {
    /** Counts one more finished. */
    tick: (): void => {
      done += 1;
      if (stream.isTTY) stream.write(`\r${line()}`);
      else if (done % every === 0) stream.write(`${line()}\n`);
    },
    /** Ends the count: the terminal's line is kept, and a log gets the last count. */
    end: (): void => {
      if (stream.isTTY) stream.write('\n');
      else if (done % every !== 0) stream.write(`${line()}\n`);
    },
  };
};

/**
 * Names each step of a long run as it starts. On a terminal, one line rewritten in place; anywhere
 * else, one plain line per step (a log reads them in order).
 *
 * @example
 * const progress = progressSteps(process.stderr);
 * progress.step('guard overhead');
 * progress.step('bundles');
 * progress.end();
 */
export const progressSteps = (stream: ProgressStream) => ({
  /** Says which step starts now. */
  step: (text: string): void => {
    stream.write(stream.isTTY ? `\r\x1b[K${text}` : `${text}\n`);
  },
  /** Clears the terminal's line once the last step has ended. */
  end: (): void => {
    if (stream.isTTY) stream.write('\r\x1b[K');
  },
});
