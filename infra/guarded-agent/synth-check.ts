import * as z from 'zod/mini';

/**
 * A GuardedAgent setting checked against the schema its functions read it with: a bad value is a
 * synth error that says what is wrong, never a deployment without it. Returns the value as written
 * into the functions' environment (JSON), undefined when not set.
 */
export const synthChecked = <T>(what: string, schema: z.ZodMiniType<T>, value: T | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const result = z.safeParse(schema, value);
  if (!result.success)
    throw new Error(
      `GuardedAgent ${what} is not valid: ${result.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ')}`,
    );
  return JSON.stringify(result.data);
};
