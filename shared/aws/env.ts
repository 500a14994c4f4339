/**
 * Reads required configuration once, at cold start, and fails fast with the name of what is missing.
 *
 * @example
 * const ordersTable = requireEnv('ORDERS_TABLE'); // at cold start: a missing variable fails the init, named
 */
export const requireEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`Missing required environment variable ${name}`);
  return value;
};
