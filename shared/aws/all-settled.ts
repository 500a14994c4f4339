/**
 * Waits for every one of a step's writes, then fails with the first error, if any. `Promise.all`
 * fails at the first error while the others are still in flight (and being retried by the SDK):
 * one landing after the step's retry has sealed the run's audit chain would be outside the chain.
 * Found by the fault simulation (seed 441): no write may outlive the step that made it.
 */
export const allSettled = async <T>(writes: readonly Promise<T>[]): Promise<T[]> => {
  const settled = await Promise.allSettled(writes);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
};
