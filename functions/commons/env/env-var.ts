import * as z from 'zod/mini';

/** A function's environment: `process.env` deployed, the environment CDK synthesized for it locally. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable the construct sets and a function reads: its name (the construct writes
 * under it) and its reader (the function's one way to read it, typed, at cold start). A value that
 * is malformed fails the cold start with the variable's name, so a function never runs without, or
 * weaker than, the settings it was given; the value itself is never echoed past 200 characters.
 */
export interface EnvVar<T> {
  readonly name: string;
  /** @default process.env */
  readonly read: (env?: Env) => T;
}

/** How a variable's raw value becomes its typed value (`undefined` or empty: absent). */
type Parse<T> = (raw: string | undefined, name: string) => T;

const variable = <T>(name: string, parse: Parse<T>): EnvVar<T> =>
  Object.freeze({ name, read: (env: Env = process.env) => parse(env[name], name) });

const missing = (name: string) => new Error(`Missing required environment variable ${name}`);
const throwError = (error: Error): never => {
  throw error;
};
const present = (raw: string | undefined): string | undefined => (raw === '' ? undefined : raw);
const parseSeconds: Parse<number | undefined> = (raw, name) => {
  if (present(raw) === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number of seconds, at least 1; got "${String(raw).slice(0, 40)}"`);
  return value;
};
const parseJson =
  <T>(schema: z.ZodMiniType<T>): Parse<T | undefined> =>
  (raw, name) => {
    if (present(raw) === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(raw as string);
    } catch {
      value = undefined;
    }
    const result = z.safeParse(schema, value);
    if (!result.success) throw new Error(`${name} is not valid JSON of the expected shape: ${String(raw).slice(0, 200)}`);
    return result.data;
  };

/*
 * The kinds of variable. Each is one call, so FunctionEnv can mark its declarations pure: a bundle
 * keeps the variables its function reads and leaves the others (and their schemas) out.
 */

/** Free text, absent allowed. */
export const text = (name: string): EnvVar<string | undefined> => variable(name, present);

/** Free text, required: absent fails the cold start. */
export const requiredText = (name: string): EnvVar<string> => variable(name, (raw) => present(raw) ?? throwError(missing(name)));

/** Free text with a default. */
export const textOr = (name: string, fallback: string): EnvVar<string> => variable(name, (raw) => present(raw) ?? fallback);

/** `true` when the construct wrote `true`; anything else is off. */
export const flag = (name: string): EnvVar<boolean> => variable(name, (raw) => raw === 'true');

/** A whole number of seconds, at least 1; absent allowed. */
export const seconds = (name: string): EnvVar<number | undefined> => variable(name, parseSeconds);

/** A whole number of seconds, at least 1, required. */
export const requiredSeconds = (name: string): EnvVar<number> =>
  variable(name, (raw) => parseSeconds(raw, name) ?? throwError(missing(name)));

/** One of a closed set; absent is the default, anything else fails (never a weaker mode by a typo). */
export const oneOf = <T extends string>(name: string, values: readonly T[], fallback: T): EnvVar<T> =>
  variable(name, (raw) => {
    const value = present(raw);
    if (value === undefined) return fallback;
    if (!(values as readonly string[]).includes(value)) {
      const allowed = values.length === 2 ? values.join(' or ') : `one of ${values.join(', ')}`;
      throw new Error(`${name} must be ${allowed}; got "${value.slice(0, 40)}"`);
    }
    return value as T;
  });

/** A setting the construct writes as JSON, parsed with its schema; absent allowed. */
export const json = <T>(name: string, schema: z.ZodMiniType<T>): EnvVar<T | undefined> => variable(name, parseJson(schema));

/** A JSON setting, required. */
export const requiredJson = <T>(name: string, schema: z.ZodMiniType<T>): EnvVar<T> =>
  variable(name, (raw) => parseJson(schema)(raw, name) ?? throwError(missing(name)));
