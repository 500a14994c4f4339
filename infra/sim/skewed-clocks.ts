import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Clocks that differ between functions, as Lambda's do: each function reads the time through its
 * own offset from true time. The handlers read `Date.now()` and `new Date()` directly (as deployed),
 * so the simulation's world puts a `Date` in their place that adds the offset of the function whose
 * work is running (`onClock`, carried through every await of that work); everything else (the engine,
 * dynalite, the invariants) reads true time.
 */
const offsets = new AsyncLocalStorage<number>();
const TrueDate = Date;
const skewedNow = (): number => TrueDate.now() + (offsets.getStore() ?? 0);

/** True time, epoch ms, whichever function's work reads it (what the simulation itself stamps). */
export const trueNow = (): number => TrueDate.now();

/**
 * A `Date` that is the real one in every way but the time it reads: `new Date()` and `Date.now()`
 * add the running function's offset. A proxy, not a subclass: `instanceof Date` still holds for a
 * date made before it was installed, or by a library that kept the real one.
 */
const SkewedDate: DateConstructor = new Proxy(TrueDate, {
  construct: (target, args: unknown[], newTarget): object =>
    Reflect.construct(target, args.length === 0 ? [skewedNow()] : args, newTarget === SkewedDate ? target : newTarget),
  get: (target, key, receiver) => (key === 'now' ? skewedNow : Reflect.get(target, key, receiver)),
});

/** Puts the skewed `Date` in place for this thread; returns what puts the real one back. */
export const installSkewedClocks = (): (() => void) => {
  globalThis.Date = SkewedDate;
  return () => {
    globalThis.Date = TrueDate;
  };
};

/** Runs `work` (and all it starts) on a clock `offsetMs` from true time. */
export const onClock = <T>(offsetMs: number, work: () => Promise<T>): Promise<T> => offsets.run(offsetMs, work);
