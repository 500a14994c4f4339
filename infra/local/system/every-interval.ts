/**
 * A sweep locally, where deployed an EventBridge rule runs it every minute: `sweep` every
 * `intervalMs`. A sweep still going when the next is due lets it pass (none piles up on a busy
 * machine); a failed one is left to the next, as on AWS. `stop` waits for the one going.
 */
export const everyInterval = (sweep: () => Promise<void>, intervalMs: number) => {
  let sweeping: Promise<void> | undefined;
  const timer = setInterval(() => {
    sweeping ??= sweep()
      .catch(() => undefined)
      .finally(() => (sweeping = undefined));
  }, intervalMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await sweeping;
    },
  };
};
