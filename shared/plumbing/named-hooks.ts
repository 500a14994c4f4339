/**
 * Names a middleware's hooks as middy names its own (`<middleware>Before`, `<middleware>After`,
 * `<middleware>OnError`): middy's timing hooks (`beforeMiddleware`, `afterMiddleware`) report a
 * hook by its function name, so a trace or a profile tells the guards apart.
 *
 * @example
 * return namedHooks('rateLimit', { before, after }); // before.name === 'rateLimitBefore'
 */
export const namedHooks = <M extends { before?: unknown; after?: unknown; onError?: unknown }>(middleware: string, hooks: M): M => {
  for (const [hook, suffix] of [
    ['before', 'Before'],
    ['after', 'After'],
    ['onError', 'OnError'],
  ] as const) {
    const fn = hooks[hook];
    if (typeof fn === 'function') Object.defineProperty(fn, 'name', { value: `${middleware}${suffix}` });
  }
  return hooks;
};
