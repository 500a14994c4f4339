/** What every pure guard returns: the middleware (or the loop's screening) decides what a denial becomes. */
export type GuardVerdict<T = undefined> = { readonly allow: true; readonly value: T } | { readonly allow: false; readonly reason: string };

export const allow = <T>(value: T): GuardVerdict<T> => ({ allow: true, value });
export const deny = (reason: string): GuardVerdict<never> => ({ allow: false, reason });
